import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * For connections that serve HTTP requests: with Redis down, a command fails within about a second (and the
 * request gets a 503) instead of waiting for a reconnect. Commands issued while the first connection is still
 * being made are queued rather than refused, so a process that has just started does not fail its first
 * requests; `commandTimeout` bounds that wait as well.
 */
export const failFastOptions: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 1000,
  commandTimeout: 1000,
  // Closing waits this long for a half-open socket to Redis before destroying it.
  disconnectTimeout: 500,
  // Reconnect in the background, never giving up, at most every 2 s.
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
};

/**
 * Opens a connection and reports its outages once each (not once per reconnect attempt), so a Redis that is
 * down for an hour does not flood the log.
 */
export function connectRedis(url: string, role: string, logger: Logger, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { connectionName: `spruce-${role}`, ...options });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, role }, 'Redis connection lost; reconnecting in the background');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ role }, 'Redis connection restored');
  });
  return redis;
}

/** Closes cleanly when connected; otherwise drops the connection at once rather than waiting for Redis. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Lost while quitting: fall through and drop it.
    }
  }
  redis.disconnect();
}
