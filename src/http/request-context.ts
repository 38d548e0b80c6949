import type { FastifyInstance } from 'fastify';
import { runWithRequestContext } from '../core/request-context.js';

/**
 * Runs every request inside its own request context (address, user agent, request id; the actor once its token
 * checks out), so the audit log can say who did what from where without each service being handed it. A
 * callback-style hook: the rest of the request runs inside `run`, which an async hook could not arrange.
 */
export function registerRequestContext(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const userAgent = request.headers['user-agent'];
    runWithRequestContext(
      { ip: request.ip, userAgent: userAgent ?? null, requestId: request.id, actorId: null, actorIsSuperuser: false, sessionId: null },
      done,
    );
  });
}
