import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startApiProcess, waitFor } from './helpers/processes.js';
import { createTestApp, dialects, type TestApp } from './helpers/test-app.js';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './infra/support/redis.js';
import { suiteUnless } from './helpers/suite.js';
import { normalizeIP } from '@fastify/rate-limit';
import { leaseSize } from '../src/http/rate-limit-lease-store.js';
import { clientKey } from '../src/http/rate-limit.js';

const limits = { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' };

/** Sends `count` requests to GET / and returns their status codes. */
async function hit(t: Pick<TestApp, 'inject'>, count: number, headers: Record<string, string> = {}, remoteAddress?: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    statuses.push((await t.inject({ method: 'GET', url: '/', headers, ...(remoteAddress ? { remoteAddress } : {}) })).statusCode);
  }
  return statuses;
}

test('clientKey keys every address as the plugin does', () => {
  for (const ip of ['127.0.0.1', '192.0.2.1', '::1', '2001:db8::1', '2001:DB8:0:0:1::1', '::ffff:192.0.2.1', 'fe80::1%eth0']) {
    assert.equal(clientKey(ip), normalizeIP(ip), ip);
  }
});

for (const dialect of dialects) {
  describe(`global rate limit in memory on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, limits);
    });
    after(() => t.close());

    test('past RATE_LIMIT_MAX a client gets 429 with a FastAPI-shaped body and Retry-After', async () => {
      const remoteAddress = '192.0.2.1';
      const first = await t.inject({ method: 'GET', url: '/', remoteAddress });
      assert.equal(first.headers['x-ratelimit-limit'], '3');
      assert.equal(first.headers['x-ratelimit-remaining'], '2');
      assert.deepEqual(await hit(t, 2, {}, remoteAddress), [200, 200]);
      const limited = await t.inject({ method: 'GET', url: '/', remoteAddress });
      assert.equal(limited.statusCode, 429);
      assert.deepEqual(limited.json(), { detail: 'Too Many Requests' });
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(limited.headers['retry-after']));
      assert.equal(limited.headers['x-ratelimit-remaining'], '0');
    });

    test('the limit is per client address and covers every route, before authentication, and unknown URLs', async () => {
      const remoteAddress = '192.0.2.2';
      await hit(t, 3, {}, remoteAddress);
      for (const request of [
        { method: 'POST', url: '/users/sign-up', payload: { username: 'abcd', password: 'x' } },
        { method: 'GET', url: '/todos' },
        { method: 'GET', url: '/docs' },
        { method: 'GET', url: '/no-such-route' },
      ] as const) {
        const res = await t.inject({ ...request, remoteAddress });
        assert.equal(res.statusCode, 429, request.url);
      }
      assert.deepEqual(await hit(t, 1, {}, '192.0.2.3'), [200]);
    });

    test('an IPv6 client is counted by its /64, and an IPv4-mapped address as its IPv4 address', async () => {
      await hit(t, 2, {}, '2001:db8:1:2::1');
      assert.deepEqual(await hit(t, 2, {}, '2001:DB8:1:2:ffff::9'), [200, 429]);
      assert.deepEqual(await hit(t, 1, {}, '2001:db8:1:3::1'), [200]);
      await hit(t, 2, {}, '198.51.100.7');
      assert.deepEqual(await hit(t, 2, {}, '::ffff:198.51.100.7'), [200, 429]);
    });

    test('/health and /ready are never limited; /metrics is, like any route', async () => {
      const remoteAddress = '192.0.2.4';
      await hit(t, 4, {}, remoteAddress);
      for (const url of ['/health', '/ready']) {
        for (let i = 0; i < 5; i++) {
          const res = await t.inject({ method: 'GET', url, remoteAddress });
          assert.equal(res.statusCode, 200, url);
          assert.equal(res.headers['x-ratelimit-limit'], undefined, url);
        }
      }
      const metrics = await t.inject({ method: 'GET', url: '/metrics', remoteAddress });
      assert.equal(metrics.statusCode, 429);
    });

    test('by default X-Forwarded-For is ignored: a client cannot pick a fresh address per request', async () => {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(...(await hit(t, 1, { 'x-forwarded-for': `203.0.113.${i}` }, '192.0.2.5')));
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    });
  });

  describe(`TRUST_PROXY on ${dialect}`, () => {
    test('naming the proxy address makes X-Forwarded-For from it the client address', async () => {
      const t = await createTestApp(dialect, { ...limits, TRUST_PROXY: '10.0.0.5' });
      try {
        const proxy = '10.0.0.5';
        assert.deepEqual(await hit(t, 4, { 'x-forwarded-for': '203.0.113.10' }, proxy), [200, 200, 200, 429]);
        // A second client behind the same proxy has its own budget.
        assert.deepEqual(await hit(t, 1, { 'x-forwarded-for': '203.0.113.11' }, proxy), [200]);
        // Only the address the proxy saw counts, not what the client claimed before it.
        assert.deepEqual(await hit(t, 1, { 'x-forwarded-for': '198.51.100.1, 203.0.113.10' }, proxy), [429]);
        // The same header from anyone else is ignored.
        assert.deepEqual(await hit(t, 4, { 'x-forwarded-for': '203.0.113.12' }, '10.0.0.6'), [200, 200, 200, 429]);
        assert.deepEqual(await hit(t, 1, { 'x-forwarded-for': '203.0.113.13' }, '10.0.0.6'), [429]);
      } finally {
        await t.close();
      }
    });

    test('a CIDR range of proxies and TRUST_PROXY=true are accepted too', async () => {
      for (const trust of ['10.0.0.0/8', 'true']) {
        const t = await createTestApp(dialect, { ...limits, TRUST_PROXY: trust });
        try {
          assert.deepEqual(await hit(t, 4, { 'x-forwarded-for': '203.0.113.20' }, '10.1.2.3'), [200, 200, 200, 429], trust);
          assert.deepEqual(await hit(t, 1, { 'x-forwarded-for': '203.0.113.21' }, '10.1.2.3'), [200], trust);
        } finally {
          await t.close();
        }
      }
    });
  });

  describe(`rate limit settings at start on ${dialect}`, () => {
    test('the server logs the limit, its store and TRUST_PROXY; production warns when TRUST_PROXY is unset', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-limit-log-'));
      const redis: Record<string, string> = dialect === 'postgres' && testRedisUrl !== null ? { REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: uniqueKeyPrefix() } : {};
      const base = { DATA_DIR: dataDir, SECRET_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'info', RATE_LIMIT_MAX: '250', ...redis };
      try {
        const production = await startApiProcess({ ...base, NODE_ENV: 'production', MAIL_TO_OUTBOX: 'true', MIGRATE_ON_START: 'true' });
        try {
          const line = await waitFor('the rate limit log line', () =>
            production.output().split('\n').find((text) => text.includes('global rate limit per client address')),
          );
          const logged = JSON.parse(line);
          assert.equal(logged.level, 40, line);
          assert.equal(logged.rateLimitMax, 250);
          assert.equal(logged.rateLimitWindowSeconds, 60);
          assert.equal(logged.rateLimitStore, 'REDIS_URL' in redis ? 'redis' : 'memory');
          assert.equal(logged.trustProxy, false);
          assert.match(logged.msg, /TRUST_PROXY is unset/);
        } finally {
          production.signal('SIGTERM');
          await production.exited;
        }
        const proxied = await startApiProcess({ ...base, NODE_ENV: 'development', TRUST_PROXY: '10.0.0.0/8' });
        try {
          const line = await waitFor('the rate limit log line', () =>
            proxied.output().split('\n').find((text) => text.includes('global rate limit per client address')),
          );
          const logged = JSON.parse(line);
          assert.equal(logged.level, 30, line);
          assert.equal(logged.trustProxy, '10.0.0.0/8');
        } finally {
          proxied.signal('SIGTERM');
          await proxied.exited;
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
        if ('REDIS_URL' in redis) await deleteKeysWithPrefix(testRedisUrl as string, redis.REDIS_KEY_PREFIX as string);
      }
    });
  });

  describe(`global rate limit with Redis unreachable on ${dialect}`, () => {
    test('requests still succeed (skipOnError) instead of failing with 500', async () => {
      const t = await createTestApp(dialect, { ...limits, REDIS_URL: 'redis://127.0.0.1:1' });
      // Timed from here: creating a fresh MySQL database and migrating it alone can take seconds on a busy machine.
      const started = Date.now();
      try {
        const statuses = await hit(t, 6);
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
        // Only the limited requests are timed: each would wait on ioredis's reconnects (seconds) if the limiter queued
        // its commands; the sign-up below also hashes and loads the password dictionaries, which a loaded machine
        // stretches past any fair bound.
        assert.ok(Date.now() - started < 5_000, 'a dead Redis costs no long waits');
        const signUp = await t.inject({ method: 'POST', url: '/users/sign-up', payload: { username: `down${randomBytes(3).toString('hex')}`, password: 'correct-horse-9' } });
        assert.equal(signUp.statusCode, 201);
      } finally {
        await t.close();
      }
    });
  });
}

const redisUrl = process.env.TEST_REDIS_URL;
suiteUnless('global rate limit shared through Redis', redisUrl === undefined ? 'set TEST_REDIS_URL to run' : false, {}, () => {
  const prefix = `spruce-test-${randomBytes(6).toString('hex')}:`;
  let admin: Redis;
  before(() => {
    admin = new Redis(redisUrl as string);
  });
  after(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  test('two apps on one Redis count every request against one limit, under the configured key prefix', async () => {
    const env = { ...limits, REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: prefix };
    const first = await createTestApp('sqlite', env);
    const second = await createTestApp('sqlite', env);
    try {
      const remoteAddress = '192.0.2.50';
      assert.deepEqual([...(await hit(first, 2, {}, remoteAddress)), ...(await hit(second, 1, {}, remoteAddress))], [200, 200, 200]);
      const limited = await second.inject({ method: 'GET', url: '/', remoteAddress });
      assert.equal(limited.statusCode, 429);
      assert.deepEqual(limited.json(), { detail: 'Too Many Requests' });
      assert.deepEqual(await hit(first, 1, {}, remoteAddress), [429]);
      assert.deepEqual(await hit(first, 1, {}, '192.0.2.51'), [200]);

      // The limiter's counters, wherever they are, live under this deployment's prefix (the job queue shares it).
      // Only this test's two addresses: other suites sharing this Redis count 192.0.2.5 under their own prefixes.
      const keys = await admin.keys('*rate-limit:192.0.2.5[01]');
      assert.ok(keys.length >= 2, keys.join(', '));
      assert.ok(keys.every((key) => key.startsWith(`${prefix}rate-limit:`)), keys.join(', '));
      const ttl = await admin.pttl(keys[0] as string);
      assert.ok(ttl > 0 && ttl <= 60_000, String(ttl));
    } finally {
      await first.close();
      await second.close();
    }
  });
  /** The shared counter of `address` under this suite's prefix. */
  const counterOf = async (address: string) => Number(await admin.get(`${prefix}rate-limit:${address}`));

  test('counts are taken from Redis in blocks of a hundredth of the limit, not one round trip per request', async () => {
    const app = await createTestApp('sqlite', { RATE_LIMIT_MAX: '1000', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: prefix });
    try {
      const remoteAddress = '192.0.2.60';
      assert.deepEqual(new Set(await hit(app, 25, {}, remoteAddress)), new Set([200]));
      // 25 requests, three blocks of 10: three round trips instead of 25.
      assert.equal(await counterOf(remoteAddress), 30);
      // Requests arriving together while a block is being taken wait for it: one round trip serves ten of them.
      const parallel = await Promise.all(Array.from({ length: 30 }, () => app.inject({ method: 'GET', url: '/', remoteAddress: '192.0.2.61' })));
      assert.deepEqual(new Set(parallel.map((res) => res.statusCode)), new Set([200]));
      assert.equal(await counterOf('192.0.2.61'), 30);
    } finally {
      await app.close();
    }
  });

  test('with blocks, two apps together still never let an address through more than the limit', async () => {
    // A limit of 200 takes counts two at a time.
    const env = { RATE_LIMIT_MAX: '200', RATE_LIMIT_WINDOW_SECONDS: '60', REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: prefix };
    const first = await createTestApp('sqlite', env);
    const second = await createTestApp('sqlite', env);
    try {
      const remoteAddress = '192.0.2.62';
      const statuses: number[] = [];
      for (let i = 0; i < 210; i++) statuses.push(...(await hit(i % 3 === 0 ? second : first, 1, {}, remoteAddress)));
      const allowed = statuses.filter((status) => status === 200).length;
      // Never more than the limit; at most one unused count per app short of it.
      assert.ok(allowed <= 200 && allowed >= 198, String(allowed));
      // One app may refuse while the other still holds a count of its block; once both blocks are spent, both refuse.
      assert.deepEqual(new Set(statuses.slice(-5)), new Set([429]));
      const refused = await second.inject({ method: 'GET', url: '/', remoteAddress });
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers['retry-after']) > 0 && Number(refused.headers['retry-after']) <= 60, String(refused.headers['retry-after']));
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('a block ends with its window: the next window starts a new count', async () => {
    const app = await createTestApp('sqlite', { RATE_LIMIT_MAX: '1000', RATE_LIMIT_WINDOW_SECONDS: '1', REDIS_URL: redisUrl as string, REDIS_KEY_PREFIX: prefix });
    try {
      const remoteAddress = '192.0.2.63';
      assert.deepEqual(await hit(app, 3, {}, remoteAddress), [200, 200, 200]);
      assert.equal(await counterOf(remoteAddress), 10);
      const ttl = await admin.pttl(`${prefix}rate-limit:${remoteAddress}`);
      assert.ok(ttl > 0 && ttl <= 1_000, String(ttl));
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.equal(await admin.exists(`${prefix}rate-limit:${remoteAddress}`), 0);
      assert.deepEqual(await hit(app, 1, {}, remoteAddress), [200]);
      assert.equal(await counterOf(remoteAddress), 10, 'a new block in the new window');
    } finally {
      await app.close();
    }
  });
});

describe('leaseSize', () => {
  test('a hundredth of the limit, at least 1 (small limits are counted exactly) and at most 100', () => {
    assert.deepEqual([1, 3, 199, 200, 1000, 60_000, 10_000_000].map(leaseSize), [1, 1, 1, 2, 10, 100, 100]);
  });
});
