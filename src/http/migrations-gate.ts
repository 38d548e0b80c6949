import type { FastifyInstance } from 'fastify';
import type { SchemaState } from '../db/schema-state.js';

/** Routes that never touch the tables, so they keep answering while migrations are pending. */
const untouched = new Set(['/', '/health', '/ready', '/metrics', '/openapi.json', '/docs', '/docs/', '/docs/*']);

/** While migrations are pending, every route that needs the tables answers 503 instead of a 500 on a missing table. */
export function registerMigrationsGate(app: FastifyInstance, schema: SchemaState): void {
  // Callback style rather than async: it runs on every request of a PostgreSQL deployment, and nearly always passes.
  app.addHook('onRequest', (request, reply, done) => {
    const route = schema.ready ? undefined : request.routeOptions.url;
    if (route === undefined || untouched.has(route)) {
      done();
      return;
    }
    void reply
      .code(503)
      .header('Retry-After', '5')
      .send({ detail: 'Database migrations are pending; the service is being upgraded. Try again shortly.' });
  });
}
