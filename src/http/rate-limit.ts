import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { tooManyRequests } from './errors.js';
import { leasingRedisStore } from './rate-limit-lease-store.js';

/**
 * Routes a health checker calls: never limited, so an orchestrator never sees a false failure. /metrics is
 * limited like any route: a scraper asks a few times a minute, and each scrape costs far more than a request.
 */
const exemptRoutes = new Set(['/health', '/ready']);

/**
 * A global limit of RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_SECONDS per client address (request.ip, so
 * TRUST_PROXY decides whether X-Forwarded-For counts). Counters live in Redis when REDIS_URL is set, so every API
 * process counts against one limit; in memory otherwise.
 *
 * The check is a root onRequest hook rather than the plugin's per-route one, so it runs before the hooks of
 * feature plugins (an anonymous flood on an authenticated route is limited before any token is checked) and
 * also covers requests that match no route. Routes may still set `config.rateLimit` for a stricter limit of
 * their own; its 429 goes through errorResponseBuilder to the same `{"detail"}` body.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  config: Pick<Config, 'env' | 'rateLimitMax' | 'rateLimitWindowSeconds' | 'redisUrl' | 'redisKeyPrefix' | 'trustProxy'>,
): Promise<void> {
  logRateLimitSettings(app, config);
  const redis = config.redisUrl === null ? null : await createRateLimitRedis(app, config.redisUrl);
  if (redis !== null) {
    app.addHook('onClose', async () => closeQuietly(redis));
    await settled(redis, 2_000);
  }

  await app.register(rateLimit, {
    global: false,
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowSeconds * 1000,
    allowList: (request) => exemptRoutes.has(request.routeOptions.url ?? ''),
    // For per-route limits: the error handler turns this into `{"detail": "Too Many Requests"}` with Retry-After.
    errorResponseBuilder: (_request, context) => tooManyRequests(context.ttl / 1000),
    ...(redis === null
      ? {}
      : {
          // Counts are taken from Redis in blocks, not one round trip per request (see leasingRedisStore).
          store: leasingRedisStore(redis, `${config.redisKeyPrefix}rate-limit:`),
          // Redis being away must not take the API down with it: requests then pass unlimited until it is back.
          skipOnError: true,
        }),
  });

  const check = app.createRateLimit();
  app.addHook('onRequest', async (request, reply) => {
    const limit = await check(request);
    // Exempt routes, and a ttl of 0, which means the store could not be asked and skipOnError let the request by.
    if (limit.isAllowed || limit.ttl === 0) return;
    void reply.headers({
      'x-ratelimit-limit': limit.max,
      'x-ratelimit-remaining': limit.remaining,
      'x-ratelimit-reset': limit.ttlInSeconds,
    });
    if (limit.isExceeded) throw tooManyRequests(limit.ttl / 1000);
  });
}

/**
 * Says at start what the limit is and whose address it counts. Behind a load balancer with TRUST_PROXY unset,
 * every request seems to come from the balancer, so the whole site shares one client's budget: production
 * warns about that, since nothing else would show it until the site is throttled.
 */
function logRateLimitSettings(
  app: FastifyInstance,
  config: Pick<Config, 'env' | 'rateLimitMax' | 'rateLimitWindowSeconds' | 'redisUrl' | 'trustProxy'>,
): void {
  const settings = {
    rateLimitMax: config.rateLimitMax,
    rateLimitWindowSeconds: config.rateLimitWindowSeconds,
    rateLimitStore: config.redisUrl === null ? 'memory' : 'redis',
    trustProxy: config.trustProxy,
  };
  if (config.trustProxy === false && config.env === 'production') {
    app.log.warn(
      settings,
      'global rate limit per client address; TRUST_PROXY is unset, so X-Forwarded-For is ignored and behind a load balancer every client shares its address and budget',
    );
  } else {
    app.log.info(settings, 'global rate limit per client address');
  }
}

/**
 * A connection of its own that fails fast: with no offline queue and one attempt per command, a request waits
 * at most one round trip for a dead Redis rather than queueing behind reconnection attempts.
 */
async function createRateLimitRedis(app: FastifyInstance, url: string): Promise<Redis> {
  // Imported here, so the embedded default (no REDIS_URL) never loads the Redis client.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
  });
  // ioredis retries the connection forever and emits an error on every failed attempt; log the first of a run.
  let reported = false;
  redis.on('error', (error) => {
    if (reported) return;
    reported = true;
    app.log.warn({ err: error }, 'rate-limit Redis unavailable; requests are not limited until it is back');
  });
  redis.on('ready', () => {
    if (reported) app.log.info('rate-limit Redis available again');
    reported = false;
  });
  return redis;
}

/**
 * Waits until the first connection attempt succeeds or fails (at most `timeoutMs`), so the first requests are
 * counted rather than skipped as errors while the connection is still opening; a dead Redis does not delay start.
 */
function settled(redis: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    redis.once('error', done);
  });
}

async function closeQuietly(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
