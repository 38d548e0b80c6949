import type { FastifyInstance } from 'fastify';

/**
 * Fastify's JSON parser, except that an empty body is no body. Many HTTP clients send
 * `Content-Type: application/json` on every POST, also on routes that take no body (`POST /api/auth/logout`,
 * `POST /api/cleanings/{id}/offers`); FastAPI accepts those, and so do we. A route that needs a body still
 * answers 422, from its schema. Prototype poisoning stays an error, as in Fastify's default.
 */
export function registerJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else parseJson(request, body as string, done);
  });
}
