import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerSecurity, requireSuperuser, requireUser } from '../../http/authentication.js';
import { requestContextOf } from '../../http/request-context.js';
import type { Authenticator } from './authenticator.js';
import { Detail, PublicUser } from './users.schemas.js';
import { AdminUpdateBody, UserIdParams, UserListQuery, UserPage } from './accounts.schemas.js';
import type { UsersAdminService } from './users-admin.service.js';

export interface UsersAdminRoutesOptions {
  admin: UsersAdminService;
  authenticator: Authenticator;
}

const errors = { 401: Detail, 403: Detail, 404: Detail, 422: Detail };

/** Superusers manage every account. A valid token comes first (401), then the superuser flag (403). */
export const usersAdminRoutes: FastifyPluginAsyncTypebox<UsersAdminRoutesOptions> = async (app, { admin, authenticator }) => {
  const superuserOnly = { onRequest: [requireUser(authenticator), requireSuperuser] };
  const common = { tags: ['users (superusers)'], security: bearerSecurity };

  app.get(
    '/users',
    {
      ...superuserOnly,
      schema: { operationId: 'listUsers', ...common, summary: 'Every account (or those matching `q`), oldest first, a page at a time', querystring: UserListQuery, response: { 200: UserPage, ...errors } },
    },
    async (request) => admin.list({ offset: request.query.offset ?? 0, limit: request.query.limit ?? 50 }, request.query.q, requestContextOf(request)),
  );

  app.get(
    '/users/:id',
    { ...superuserOnly, schema: { operationId: 'getUser', ...common, summary: 'One account', params: UserIdParams, response: { 200: PublicUser, ...errors } } },
    async (request) => admin.get(request.params.id, requestContextOf(request)),
  );

  app.patch(
    '/users/:id',
    {
      ...superuserOnly,
      schema: {
        operationId: 'updateUser',
        ...common,
        summary: 'Change an account, its flags included; a new password ends its older tokens',
        params: UserIdParams,
        body: AdminUpdateBody,
        response: { 200: PublicUser, 400: Detail, ...errors, 503: Detail },
      },
    },
    async (request) => {
      const { name, email, password, is_active, is_superuser, is_verified } = request.body;
      const changes = { name, email, password, isActive: is_active, isSuperuser: is_superuser, isVerified: is_verified };
      return admin.update(request.params.id, changes, requestContextOf(request));
    },
  );

  app.delete(
    '/users/:id',
    { ...superuserOnly, schema: { operationId: 'deleteUser', ...common, summary: 'Delete an account and everything it owns', params: UserIdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await admin.delete(request.params.id, requestContextOf(request));
      return reply.code(204).send(null);
    },
  );
};
