import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, callerOf, requireUser } from '../../http/authentication.js';
import type { Authenticator } from '../auth/authenticator.js';
import { Detail } from '../users/users.schemas.js';
import { CleanerParams, Evaluation, EvaluationCreateBody, EvaluationList, EvaluationParams, EvaluationStats } from './evaluations.schemas.js';
import type { EvaluationsService } from './evaluations.service.js';

const errors = { 401: Detail, 404: Detail, 422: Detail };

export const evaluationsRoutes: FastifyPluginAsyncTypebox<{ evaluations: EvaluationsService; authenticator: Authenticator }> = async (
  app,
  { evaluations, authenticator },
) => {
  app.addHook('onRequest', requireUser(authenticator));
  const common = { tags: ['evaluations'], security: bearerSecurity };

  app.post(
    '/users/:username/evaluations/:cleaning_id',
    {
      schema: {
        operationId: 'createEvaluation',
        ...common,
        summary: "Rate the cleaner whose offer on the caller's job was accepted (once); the offer becomes completed",
        params: EvaluationParams,
        body: EvaluationCreateBody,
        response: { 201: Evaluation, 400: Detail, 403: Detail, ...errors },
      },
    },
    async (request, reply) => {
      const { username, cleaning_id } = request.params;
      return reply.code(201).send(await evaluations.create(callerOf(request), username, cleaning_id, request.body.evaluation_create));
    },
  );

  app.get(
    '/users/:username/evaluations',
    { schema: { operationId: 'listEvaluations', ...common, summary: "A cleaner's evaluations, newest first", params: CleanerParams, response: { 200: EvaluationList, ...errors } } },
    async (request) => evaluations.list(request.params.username),
  );

  app.get(
    '/users/:username/evaluations/stats',
    { schema: { operationId: 'getEvaluationStats', ...common, summary: "Aggregates of a cleaner's evaluations", params: CleanerParams, response: { 200: EvaluationStats, ...errors } } },
    async (request) => evaluations.stats(request.params.username),
  );

  app.get(
    '/users/:username/evaluations/:cleaning_id',
    { schema: { operationId: 'getEvaluation', ...common, summary: 'The evaluation of a cleaner for one job', params: EvaluationParams, response: { 200: Evaluation, ...errors } } },
    async (request) => evaluations.get(request.params.username, request.params.cleaning_id),
  );
};
