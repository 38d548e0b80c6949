import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, callerOf, requireUser } from '../../http/authentication.js';
import type { Authenticator } from '../auth/authenticator.js';
import { Detail } from '../users/users.schemas.js';
import { Profile, ProfileParams, ProfileUpdateBody } from './profiles.schemas.js';
import type { ProfilesService } from './profiles.service.js';

const errors = { 401: Detail, 422: Detail };

export const profilesRoutes: FastifyPluginAsyncTypebox<{ profiles: ProfilesService; authenticator: Authenticator }> = async (
  app,
  { profiles, authenticator },
) => {
  app.addHook('onRequest', requireUser(authenticator));
  const common = { tags: ['profiles'], security: bearerSecurity };

  app.put(
    '/profiles/me',
    { schema: { operationId: 'updateMyProfile', ...common, summary: "Change the caller's profile", body: ProfileUpdateBody, response: { 200: Profile, ...errors } } },
    async (request) => profiles.updateMine(callerOf(request), request.body.profile_update),
  );

  app.get(
    '/profiles/:username',
    { schema: { operationId: 'getProfile', ...common, summary: "A user's profile", params: ProfileParams, response: { 200: Profile, 404: Detail, ...errors } } },
    async (request) => profiles.getByUsername(request.params.username),
  );
};
