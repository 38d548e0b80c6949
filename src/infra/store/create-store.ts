import type { Config } from '../../config/config.js';
import { type Logger, silentLogger } from '../logger.js';
import type { Broadcast, KeyValueStore } from './key-value-store.js';
import { MemoryBroadcast, MemoryStore } from './memory-store.js';

export interface StoreOptions {
  /** Replaces config.redisKeyPrefix, so that a test run can keep its keys apart and delete them afterwards. */
  keyPrefix?: string;
}

/**
 * Redis when REDIS_URL is set, so every process shares the state; this process's memory otherwise. The Redis
 * client is imported only when it is used, so the embedded default starts without loading it.
 */
export async function createStore(
  config: Pick<Config, 'redisUrl' | 'redisKeyPrefix'>,
  logger: Logger = silentLogger,
  options: StoreOptions = {},
): Promise<{ store: KeyValueStore; broadcast: Broadcast }> {
  if (config.redisUrl === null) return { store: new MemoryStore(), broadcast: new MemoryBroadcast(logger) };
  const { RedisBroadcast, RedisStore } = await import('./redis-store.js');
  const prefix = options.keyPrefix ?? config.redisKeyPrefix;
  return {
    store: new RedisStore(config.redisUrl, prefix, logger),
    broadcast: new RedisBroadcast(config.redisUrl, `${prefix}broadcast:`, logger),
  };
}
