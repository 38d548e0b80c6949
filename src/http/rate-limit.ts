import rateLimit, { normalizeIP } from '@fastify/rate-limit';
// The plugin's own in-memory store, which its main module does not export.
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { tooManyRequests } from './errors.js';
import { leasingRedisStore, type CountingStore } from './rate-limit-lease-store.js';

/** Addresses the in-memory store keeps counts for at once (the plugin's default); the least recent go first. */
const localAddresses = 5000;

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

  const windowMs = config.rateLimitWindowSeconds * 1000;
  // Counts are taken from Redis in blocks, not one round trip per request (see leasingRedisStore).
  const redisStore = redis === null ? null : leasingRedisStore(redis, `${config.redisKeyPrefix}rate-limit:`);
  await app.register(rateLimit, {
    global: false,
    max: config.rateLimitMax,
    timeWindow: windowMs,
    // For per-route limits: the error handler turns this into `{"detail": "Too Many Requests"}` with Retry-After.
    errorResponseBuilder: (_request, context) => tooManyRequests(context.ttl / 1000),
    // Redis being away must not take the API down with it: requests then pass unlimited until it is back.
    ...(redisStore === null ? {} : { store: redisStore, skipOnError: true }),
  });

  const store: CountingStore = redisStore === null ? new LocalStore(false, false, localAddresses) : new redisStore();
  const max = config.rateLimitMax;
  const limitHeader = String(max);
  /**
   * The global limit, counted in the plugin's own store (in memory) or ours (Redis), keyed as the plugin keys it
   * (an IPv6 address by its /64, so a client cannot rotate through its own addresses; see clientKey). A callback
   * hook that calls the store directly rather than the plugin's createRateLimit(), whose check awaited four
   * promises and built the route's options twice per request: about 9 µs of a GET /todos's CPU, this about 2 with
   * its three headers.
   */
  app.addHook('onRequest', (request, reply, done) => {
    if (exemptRoutes.has(request.routeOptions.url ?? '')) {
      done();
      return;
    }
    store.incr(
      clientKey(request.ip),
      (error, count) => {
        // The store could not be asked (Redis away): the request passes unlimited rather than the API going down.
        if (error !== null || count === undefined) {
          done();
          return;
        }
        // One call a header rather than reply.headers({...}), which would build an object and its key list for them.
        void reply
          .header('x-ratelimit-limit', limitHeader)
          .header('x-ratelimit-remaining', Math.max(0, max - count.current))
          .header('x-ratelimit-reset', Math.ceil(count.ttl / 1000));
        if (count.current > max) done(tooManyRequests(count.ttl / 1000));
        else done();
      },
      windowMs,
      max,
    );
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

/**
 * The key normalizeIP gives an address, without its cost for IPv4: it tests every address against node:net's IPv6
 * expression (about a microsecond) and lower-cases the rest, and an address with no colon is IPv4, all digits and
 * dots. IPv6 addresses, IPv4-mapped ones included, still go through it.
 */
export function clientKey(ip: string): string {
  return ip.includes(':') ? normalizeIP(ip) : ip;
}
