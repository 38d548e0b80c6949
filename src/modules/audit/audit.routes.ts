import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, callerOf, requireSuperuser, requireUser } from '../../http/authentication.js';
import { requestContextOf } from '../../http/request-context.js';
import { type Authenticator, Detail } from '../identity/index.js';
import { AuditPageResponse, AuditQuery, OwnAuditQuery } from './audit.schemas.js';
import type { AuditLog } from './audit.service.js';

/** The audit log: each account reads its own events; superusers read anyone's, filtered. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog; authenticator: Authenticator }> = async (app, { audit, authenticator }) => {
  const errors = { 401: Detail, 422: Detail };

  app.get(
    '/users/me/audit',
    {
      onRequest: requireUser(authenticator),
      schema: {
        tags: ['audit'],
        security: bearerSecurity,
        operationId: 'listMyAuditEvents',
        summary: 'What happened to the caller’s account, newest first, a page at a time',
        querystring: OwnAuditQuery,
        response: { 200: AuditPageResponse, ...errors },
      },
    },
    async (request) => audit.page({ subjectId: callerOf(request).id, cursor: request.query.cursor }, request.query.limit ?? 50),
  );

  app.get(
    '/audit',
    {
      onRequest: [requireUser(authenticator), requireSuperuser],
      schema: {
        tags: ['audit'],
        security: bearerSecurity,
        operationId: 'listAuditEvents',
        summary: 'Every account’s events, newest first, filtered by account, event name and time',
        querystring: AuditQuery,
        response: { 200: AuditPageResponse, 403: Detail, ...errors },
      },
    },
    async (request) => {
      const { user_id, event, before, cursor, limit } = request.query;
      const filter = {
        ...(user_id === undefined ? {} : { subjectId: user_id.toLowerCase() }),
        ...(event === undefined ? {} : { event }),
        ...(before === undefined ? {} : { before: new Date(before) }),
        cursor,
      };
      return audit.search(filter, limit ?? 50, requestContextOf(request));
    },
  );
};
