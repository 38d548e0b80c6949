import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** Tests that need Redis run only when TEST_REDIS_URL is set, and then never touch keys outside their prefix. */
export const testRedisUrl = process.env.TEST_REDIS_URL ?? null;

export function uniqueKeyPrefix(): string {
  return `spruce-test:${randomUUID()}:`;
}

/** Deletes every key under the prefix; SCAN walks the keyspace in steps instead of blocking Redis like KEYS. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    await redis.quit();
  }
}
