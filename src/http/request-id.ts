import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const requestIdHeader = 'x-request-id';

/** What an id from a load balancer or a client may look like; anything else could forge or flood log lines. */
const saneRequestId = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Fastify's `genReqId`: keeps the caller's X-Request-Id when it looks like an id, so one request can be followed
 * across the load balancer and every process it touches, and otherwise makes a new UUID.
 */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[requestIdHeader];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && saneRequestId.test(value) ? value : randomUUID();
}

/** Sends the request id back, so a client can quote it in a bug report and it matches our log lines. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  // Callback style rather than async: no promise per request for one header.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(requestIdHeader, request.id);
    done();
  });
}
