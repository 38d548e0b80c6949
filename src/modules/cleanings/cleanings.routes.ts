import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, callerOf, requireUser } from '../../http/authentication.js';
import type { Authenticator } from '../auth/authenticator.js';
import { Detail } from '../users/users.schemas.js';
import { Cleaning, CleaningIdParams, CleaningList, CleaningUpdateBody, CleaningWithOwner, DeletedCleaningId, NewCleaningBody } from './cleanings.schemas.js';
import type { CleaningsService } from './cleanings.service.js';

const errors = { 401: Detail, 422: Detail };

export const cleaningsRoutes: FastifyPluginAsyncTypebox<{ cleanings: CleaningsService; authenticator: Authenticator }> = async (
  app,
  { cleanings, authenticator },
) => {
  app.addHook('onRequest', requireUser(authenticator));
  const common = { tags: ['cleanings'], security: bearerSecurity };

  app.post(
    '/cleanings',
    { schema: { operationId: 'createCleaning', ...common, summary: 'Post a cleaning job', body: NewCleaningBody, response: { 201: Cleaning, ...errors } } },
    async (request, reply) => reply.code(201).send(await cleanings.create(callerOf(request).id, request.body.new_cleaning)),
  );

  app.get(
    '/cleanings',
    { schema: { operationId: 'listMyCleanings', ...common, summary: "The caller's own cleaning jobs, oldest first", response: { 200: CleaningList, ...errors } } },
    async (request) => cleanings.listMine(callerOf(request).id),
  );

  app.get(
    '/cleanings/:cleaning_id',
    {
      schema: {
        operationId: 'getCleaning',
        ...common,
        summary: "Any cleaning job, with its owner's public part (their email only to themself and superusers)",
        params: CleaningIdParams,
        response: { 200: CleaningWithOwner, 404: Detail, ...errors },
      },
    },
    async (request) => cleanings.get(request.params.cleaning_id, callerOf(request)),
  );

  app.put(
    '/cleanings/:cleaning_id',
    {
      schema: {
        operationId: 'updateCleaning',
        ...common,
        summary: 'Change a cleaning job (owner only)',
        params: CleaningIdParams,
        body: CleaningUpdateBody,
        response: { 200: Cleaning, 400: Detail, 403: Detail, 404: Detail, ...errors },
      },
    },
    async (request) => cleanings.update(callerOf(request).id, request.params.cleaning_id, request.body.cleaning_update),
  );

  app.delete(
    '/cleanings/:cleaning_id',
    {
      schema: {
        operationId: 'deleteCleaning',
        ...common,
        summary: "Delete a cleaning job with its offers and evaluations (owner only); answers the deleted job's id, as phresh does",
        params: CleaningIdParams,
        response: { 200: DeletedCleaningId, 403: Detail, 404: Detail, ...errors },
      },
    },
    async (request) => {
      await cleanings.delete(callerOf(request).id, request.params.cleaning_id);
      return request.params.cleaning_id;
    },
  );
};
