import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../infra/metrics.js';
import { notAuthorized } from './authentication.js';

/** The route label of requests that matched no route: one value, whatever URL was asked for. */
export const unmatchedRoute = 'unmatched';
/** The method label of those requests. */
export const anyMethod = 'any';

export interface MetricsOptions {
  metrics: Metrics;
  /** When false, /metrics is not served (404) though requests are still counted. */
  enabled: boolean;
  /** When set, /metrics requires `Authorization: Bearer <token>`; production serves /metrics only with one. */
  token: string | null;
}

/**
 * Counts and times every response by route pattern, and serves the registry at GET /metrics in Prometheus'
 * text format. Register before the feature routes so their requests are observed too. /metrics is left out of
 * the OpenAPI document: it is for the scraper, not for API clients.
 */
export function registerMetrics(app: FastifyInstance, { metrics, enabled, token }: MetricsOptions): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    const seconds = reply.elapsedTime / 1000;
    // Every label set adds lines to every scrape, so they are kept few. Requests that matched no route share one
    // whatever their method (Node accepts some thirty). HEAD runs the GET route's handler, so it counts as GET.
    if (route === undefined) metrics.observeRequest(anyMethod, unmatchedRoute, reply.statusCode, seconds);
    else metrics.observeRequest(request.method === 'HEAD' ? 'GET' : request.method, route, reply.statusCode, seconds);
  });

  if (!enabled) return;
  const expected = token === null ? null : digest(token);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected !== null && !bearerMatches(request, expected)) throw notAuthorized();
    const body = await metrics.render();
    return reply.type(metrics.registry.contentType).send(body);
  });
}

/** Compares digests of equal length, so neither the token's content nor its length leaks through timing. */
function bearerMatches(request: FastifyRequest, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1] as string), expected);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
