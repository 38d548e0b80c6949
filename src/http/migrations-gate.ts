import type { FastifyInstance } from 'fastify';
import type { SchemaState } from '../db/schema-state.js';

/** Routes that never touch the tables, so they keep answering while migrations are pending. */
const untouched = new Set(['/', '/health', '/ready', '/metrics', '/openapi.json', '/docs', '/docs/', '/docs/*']);

/** While migrations are pending, every route that needs the tables answers 503 instead of a 500 on a missing table. */
export function registerMigrationsGate(app: FastifyInstance, schema: SchemaState): void {
  app.addHook('onRequest', async (request, reply) => {
    if (schema.ready) return;
    const route = request.routeOptions.url;
    if (route === undefined || untouched.has(route)) return;
    return reply
      .code(503)
      .header('Retry-After', '5')
      .send({ detail: 'Database migrations are pending; the service is being upgraded. Try again shortly.' });
  });
}
