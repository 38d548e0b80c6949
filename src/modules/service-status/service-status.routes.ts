import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, requireSuperuser, requireUser } from '../../http/authentication.js';
import { type Authenticator, Detail } from '../identity/index.js';
import { ServiceStatusResponse } from './service-status.schemas.js';
import type { ServiceStatus } from './service-status.service.js';

/** GET /api/admin/status: the service at a glance, for superusers (the admin console polls it). */
export const serviceStatusRoutes: FastifyPluginAsyncTypebox<{ status: ServiceStatus; authenticator: Authenticator }> = async (app, { status, authenticator }) => {
  app.get(
    '/admin/status',
    {
      onRequest: [requireUser(authenticator), requireSuperuser],
      schema: {
        tags: ['users (superusers)'],
        security: bearerSecurity,
        operationId: 'getServiceStatus',
        summary: 'The service at a glance: checks, database pool, job queue, request totals (from this process)',
        description:
          'What GET /ready and /metrics know, as JSON for superusers: /metrics may need a scraper\'s token in production. ' +
          'A backing service that does not answer is reported in the answer (`status: degraded`), not as an error.',
        response: { 200: ServiceStatusResponse, 401: Detail, 403: Detail },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return status.report();
    },
  );
};
