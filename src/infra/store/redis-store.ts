import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { closeRedis, connectRedis, failFastOptions } from '../redis/redis-connection.js';
import { type Broadcast, type KeyValueStore, StoreUnavailableError } from './key-value-store.js';

/** Lua runs atomically in Redis, so no other client can act between the read and the write. */
const scripts = {
  // Sets the expiry only on a counter that has none, so later increments never extend the window.
  incrementWindow: {
    numberOfKeys: 1,
    lua: `
      local count = redis.call('INCR', KEYS[1])
      if redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      return count`,
  },
  // Only an existing counter: DECR on a key that expired would create one at -1 without any expiry.
  decrementExisting: {
    numberOfKeys: 1,
    lua: `
      if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
      return 0`,
  },
  deleteIfEquals: {
    numberOfKeys: 1,
    lua: `
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0`,
  },
};

type ScriptedRedis = Redis & {
  incrementWindow(key: string, windowSeconds: number): Promise<number>;
  decrementExisting(key: string): Promise<number>;
  deleteIfEquals(key: string, expected: string): Promise<number>;
};

async function orUnavailable<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (error) {
    throw new StoreUnavailableError(undefined, { cause: error });
  }
}

/**
 * Once a connection has failed, commands are refused at once until it is ready again. Otherwise each one would
 * wait for the next failed reconnect (up to 2 s), on every request that touches the store.
 */
function refuseWhileDown(redis: Redis): () => void {
  let down = false;
  redis.on('error', () => {
    down = true;
  });
  redis.on('ready', () => {
    down = false;
  });
  return () => {
    if (down && redis.status !== 'ready') throw new StoreUnavailableError();
  };
}

export class RedisStore implements KeyValueStore {
  private readonly redis: ScriptedRedis;
  private readonly assertUp: () => void;

  /** keyPrefix is added by ioredis to every key, including the keys passed to the scripts. */
  constructor(url: string, keyPrefix: string, logger: Logger) {
    this.redis = connectRedis(url, 'store', logger, { ...failFastOptions, keyPrefix, scripts }) as ScriptedRedis;
    this.assertUp = refuseWhileDown(this.redis);
  }

  async get(key: string): Promise<string | null> {
    this.assertUp();
    return orUnavailable(this.redis.get(key));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.assertUp();
    await orUnavailable(
      ttlSeconds === undefined ? this.redis.set(key, value) : this.redis.set(key, value, 'EX', ttlSeconds),
    );
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.assertUp();
    return (await orUnavailable(this.redis.set(key, value, 'EX', ttlSeconds, 'NX'))) === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    this.assertUp();
    return (await orUnavailable(this.redis.del(key))) > 0;
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    this.assertUp();
    return orUnavailable(this.redis.incrementWindow(key, windowSeconds));
  }

  async decrement(key: string): Promise<number> {
    this.assertUp();
    return orUnavailable(this.redis.decrementExisting(key));
  }

  async ttl(key: string): Promise<number | null> {
    this.assertUp();
    const seconds = await orUnavailable(this.redis.ttl(key));
    // -2: no such key; -1: a key without expiry.
    return seconds < 0 ? null : seconds;
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    this.assertUp();
    return (await orUnavailable(this.redis.deleteIfEquals(key, expected))) === 1;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}

/**
 * Redis pub/sub. A connection that has subscribed is reserved for receiving, so messages go out on a second
 * connection. One Redis subscription per channel is shared by all of this process's handlers.
 */
export class RedisBroadcast implements Broadcast {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  constructor(
    url: string,
    private readonly channelPrefix: string,
    logger: Logger,
  ) {
    this.publisher = connectRedis(url, 'broadcast-publisher', logger, failFastOptions);
    // Subscriptions are restored by ioredis after a reconnect (autoResubscribe).
    this.subscriber = connectRedis(url, 'broadcast-subscriber', logger, failFastOptions);
    this.subscriber.on('message', (prefixedChannel: string, message: string) => {
      const channel = prefixedChannel.slice(this.channelPrefix.length);
      for (const handler of this.handlers.get(channel) ?? []) {
        try {
          handler(message);
        } catch (error) {
          logger.error({ err: error, channel }, 'Broadcast handler failed');
        }
      }
    });
  }

  async publish(channel: string, message: string): Promise<void> {
    await orUnavailable(this.publisher.publish(this.channelPrefix + channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    let channelHandlers = this.handlers.get(channel);
    if (channelHandlers === undefined) {
      channelHandlers = new Set();
      this.handlers.set(channel, channelHandlers);
      try {
        await orUnavailable(this.subscriber.subscribe(this.channelPrefix + channel));
      } catch (error) {
        this.handlers.delete(channel);
        throw error;
      }
    }
    // A Set would merge two subscriptions of one function; a wrapper keeps each subscription separate.
    const subscription = (message: string) => handler(message);
    channelHandlers.add(subscription);
    return async () => {
      const current = this.handlers.get(channel);
      if (current === undefined || !current.delete(subscription) || current.size > 0) return;
      this.handlers.delete(channel);
      await orUnavailable(this.subscriber.unsubscribe(this.channelPrefix + channel));
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }
}
