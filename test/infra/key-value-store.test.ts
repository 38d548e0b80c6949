import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../src/infra/logger.js';
import { createStore } from '../../src/infra/store/create-store.js';
import type { Broadcast, KeyValueStore } from '../../src/infra/store/key-value-store.js';
import { StoreUnavailableError } from '../../src/infra/store/key-value-store.js';
import { MemoryStore } from '../../src/infra/store/memory-store.js';
import { RedisBroadcast, RedisStore } from '../../src/infra/store/redis-store.js';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './support/redis.js';
import { suiteUnless } from '../helpers/suite.js';

interface Implementation {
  name: string;
  /** Why the suite is skipped, if it is. */
  skip: string | false;
  open(): { store: KeyValueStore; broadcast: Broadcast };
  cleanUp(): Promise<void>;
}

const redisPrefix = uniqueKeyPrefix();
const implementations: Implementation[] = [
  {
    name: 'MemoryStore',
    skip: false,
    open: () => createStore({ redisUrl: null, redisKeyPrefix: 'unused:' }),
    cleanUp: async () => {},
  },
  {
    name: 'RedisStore',
    skip: testRedisUrl === null ? 'TEST_REDIS_URL is not set' : false,
    open: () =>
      createStore({ redisUrl: testRedisUrl, redisKeyPrefix: 'unused:' }, silentLogger, { keyPrefix: redisPrefix }),
    cleanUp: () => deleteKeysWithPrefix(testRedisUrl!, redisPrefix),
  },
];

/** Subscribes; `message` resolves with the first message received. */
async function nextMessage(broadcast: Broadcast, channel: string) {
  let received: (message: string) => void = () => {};
  const message = new Promise<string>((resolve) => (received = resolve));
  const stop = await broadcast.subscribe(channel, (m) => received(m));
  return { message, stop };
}

for (const implementation of implementations) {
  // Tests use distinct keys and run concurrently, so the ones that wait for an expiry overlap.
  suiteUnless(`KeyValueStore contract: ${implementation.name}`, implementation.skip, { concurrency: true }, () => {
    let store: KeyValueStore;
    let broadcast: Broadcast;

    before(() => {
      ({ store, broadcast } = implementation.open());
    });
    after(async () => {
      await store.close();
      await broadcast.close();
      await implementation.cleanUp();
    });

    it('gets what was set, and null for a missing key', async () => {
      await store.set('plain', 'value');
      assert.equal(await store.get('plain'), 'value');
      assert.equal(await store.ttl('plain'), null, 'a key without expiry has no ttl');
      assert.equal(await store.get('missing'), null);
      assert.equal(await store.ttl('missing'), null);
    });

    it('deletes a key and says whether it existed', async () => {
      await store.set('doomed', 'value');
      assert.equal(await store.delete('doomed'), true);
      assert.equal(await store.get('doomed'), null);
      assert.equal(await store.delete('doomed'), false);
    });

    it('expires a key after its ttl', async () => {
      await store.set('short-lived', 'value', 1);
      assert.equal(await store.ttl('short-lived'), 1);
      await sleep(1100);
      assert.equal(await store.get('short-lived'), null);
      assert.equal(await store.ttl('short-lived'), null);
    });

    it('sets a value only when absent, until it expires', async () => {
      assert.equal(await store.setIfAbsent('once', 'first', 1), true);
      assert.equal(await store.setIfAbsent('once', 'second', 1), false);
      assert.equal(await store.get('once'), 'first');
      await sleep(1100);
      assert.equal(await store.setIfAbsent('once', 'third', 1), true);
      assert.equal(await store.get('once'), 'third');
    });

    it('counts in a fixed window that later increments do not extend', async () => {
      assert.equal(await store.increment('window', 1), 1);
      assert.equal(await store.ttl('window'), 1);
      await sleep(600);
      assert.equal(await store.increment('window', 1), 2);
      // Past the first increment's window but within a second of the second one.
      await sleep(500);
      assert.equal(await store.get('window'), null);
      assert.equal(await store.increment('window', 1), 1);
    });

    it('gives a window to a counter that had no expiry', async () => {
      await store.set('no-expiry-counter', '5');
      assert.equal(await store.increment('no-expiry-counter', 60), 6);
      const ttl = await store.ttl('no-expiry-counter');
      assert.ok(ttl !== null && ttl > 0 && ttl <= 60, `ttl was ${ttl}`);
    });

    it('counts 100 concurrent increments exactly', async () => {
      const counts = await Promise.all(Array.from({ length: 100 }, () => store.increment('busy', 60)));
      assert.deepEqual(
        counts.toSorted((a, b) => a - b),
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      assert.equal(await store.get('busy'), '100');
    });

    it('takes back from a counter, keeping its window; a counter that is gone stays gone', async () => {
      await store.increment('refund', 60);
      await store.increment('refund', 60);
      assert.equal(await store.decrement('refund'), 1);
      const ttl = await store.ttl('refund');
      assert.ok(ttl !== null && ttl > 0 && ttl <= 60, `ttl was ${ttl}`);
      assert.equal(await store.decrement('never-counted'), 0);
      assert.equal(await store.get('never-counted'), null);
    });

    it('deletes only when the value still matches', async () => {
      await store.set('token', 'mine');
      assert.equal(await store.deleteIfEquals('token', 'theirs'), false);
      assert.equal(await store.get('token'), 'mine');
      assert.equal(await store.deleteIfEquals('token', 'mine'), true);
      assert.equal(await store.get('token'), null);
      assert.equal(await store.deleteIfEquals('token', 'mine'), false);
    });

    it('lets exactly one of many concurrent deleteIfEquals calls win', async () => {
      await store.set('one-time-code', '123456');
      const attempts = Array.from({ length: 20 }, () => store.deleteIfEquals('one-time-code', '123456'));
      const results = await Promise.all(attempts);
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('answers ping', async () => {
      assert.equal(await store.ping(), true);
    });

    it('delivers a published message to subscribers until they unsubscribe', async () => {
      const first = await nextMessage(broadcast, 'accounts');
      const secondMessages: string[] = [];
      const stopSecond = await broadcast.subscribe('accounts', (m) => secondMessages.push(m));

      await broadcast.publish('accounts', 'user-1 changed');
      assert.equal(await first.message, 'user-1 changed');

      await first.stop();
      const third = await nextMessage(broadcast, 'accounts');
      await broadcast.publish('accounts', 'user-2 changed');
      assert.equal(await third.message, 'user-2 changed');
      assert.deepEqual(secondMessages, ['user-1 changed', 'user-2 changed'], 'other subscriptions are kept');

      await stopSecond();
      await third.stop();
      await broadcast.publish('accounts', 'user-3 changed');
      await sleep(100);
      assert.deepEqual(secondMessages, ['user-1 changed', 'user-2 changed']);
    });

    it('treats a channel named "error" like any other', async () => {
      await broadcast.publish('error', 'nobody listens');
      const subscription = await nextMessage(broadcast, 'error');
      await broadcast.publish('error', 'heard');
      assert.equal(await subscription.message, 'heard');
      await subscription.stop();
    });
  });
}

describe('RedisStore when Redis is down', () => {
  const deadUrl = 'redis://127.0.0.1:1';

  it('rejects a command with StoreUnavailableError within 2 s, and ping says false', async () => {
    const store = new RedisStore(deadUrl, 'dead:', silentLogger);
    try {
      const started = Date.now();
      await assert.rejects(store.get('anything'), (error: unknown) => {
        assert.ok(error instanceof StoreUnavailableError);
        assert.ok(error.cause instanceof Error, 'the Redis error is kept as the cause');
        return true;
      });
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      await assert.rejects(store.increment('counter', 60), StoreUnavailableError);
      assert.equal(await store.ping(), false);
    } finally {
      await store.close();
    }
  });

  it('rejects publish with StoreUnavailableError', async () => {
    const broadcast = new RedisBroadcast(deadUrl, 'dead:', silentLogger);
    try {
      await assert.rejects(broadcast.publish('accounts', 'changed'), StoreUnavailableError);
    } finally {
      await broadcast.close();
    }
  });
});

describe('MemoryStore', () => {
  it('expires keys by its clock', async () => {
    let now = 1_000_000;
    const store = new MemoryStore(() => now);
    await store.set('key', 'value', 10);
    now += 9_999;
    assert.equal(await store.get('key'), 'value');
    now += 1;
    assert.equal(await store.get('key'), null);
    await store.close();
  });
});
