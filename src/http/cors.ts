import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Cross-origin access for the browser origins in CORS_ORIGINS, and for nobody when the list is empty (then the
 * plugin is not registered at all, so no CORS header is ever sent).
 *
 * @fastify/cors treats every OPTIONS request as a preflight: it would answer a plain OPTIONS (one without Origin
 * and Access-Control-Request-Method) itself, with 400 or an empty 204, before our own OPTIONS routes and their
 * `Allow` header could run. The delegator below turns preflight handling on only for real preflights.
 */
export async function registerCors(app: FastifyInstance, origins: string[]): Promise<void> {
  if (origins.length === 0) return;
  const common: FastifyCorsOptions = {
    origin: origins,
    credentials: false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    // Link carries the feed's next page, which a browser client must be able to read.
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'Link'],
    maxAge: 600,
  };
  const preflight: FastifyCorsOptions = { ...common, preflight: true };
  const simple: FastifyCorsOptions = { ...common, preflight: false };
  await app.register(cors, {
    delegator: async (request: FastifyRequest) => (isPreflight(request) ? preflight : simple),
  });
}

export function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
}
