import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../core/request-context.js';
import { sessionIdOf } from './authentication.js';

/**
 * The request's context for the audit log and security notices: address, user agent and request id, and the
 * actor and session that authentication found (none before a token checks out, as in a log-in). Built when a
 * handler needs it, from what the request already holds, so a request that records nothing pays nothing.
 */
export function requestContextOf(request: FastifyRequest): RequestContext {
  const principal = request.principal;
  return {
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
    actorId: principal?.id ?? null,
    actorIsSuperuser: principal?.isSuperuser ?? false,
    sessionId: sessionIdOf(request),
  };
}
