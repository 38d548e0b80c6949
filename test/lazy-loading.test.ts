import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { spawnEntry } from './helpers/processes.js';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './infra/support/redis.js';

/** The packages a freshly started app has loaded, with this environment. */
async function packagesLoaded(env: Record<string, string>): Promise<string[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-lazy-'));
  try {
    const child = spawnEntry('test/fixtures/loaded-packages.ts', [], { NODE_ENV: 'test', DATA_DIR: dataDir, ...env });
    const code = await child.exited;
    assert.equal(code, 0, child.output());
    const lastLine = child.output().trim().split('\n').at(-1)!;
    return JSON.parse(lastLine) as string[];
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

test('the embedded default starts without loading Redis, BullMQ, SMTP, PostgreSQL, MySQL, Swagger UI or worker-pool code', async () => {
  const loaded = await packagesLoaded({});
  assert.ok(loaded.includes('better-sqlite3'), `the SQLite driver is loaded: ${loaded.join(', ')}`);
  // @fastify/static is not in the list: the web app serves /app/ through it from the start once it is built.
  // piscina starts the password-strength thread at the first password checked (zxcvbn loads only in that thread).
  for (const unused of ['ioredis', 'nodemailer', 'pg', 'mysql2', 'msgpackr', '@fastify/swagger-ui', 'piscina']) {
    assert.ok(!loaded.includes(unused), `${unused} is not loaded: ${loaded.join(', ')}`);
  }
});

test('with DATABASE_URL and REDIS_URL set, their drivers load and SQLite’s does not', { skip: !process.env.TEST_DATABASE_URL || testRedisUrl === null }, async () => {
  const keyPrefix = uniqueKeyPrefix();
  let loaded: string[];
  try {
    loaded = await packagesLoaded({ DATABASE_URL: process.env.TEST_DATABASE_URL!, REDIS_URL: testRedisUrl!, REDIS_KEY_PREFIX: keyPrefix });
  } finally {
    await deleteKeysWithPrefix(testRedisUrl!, keyPrefix);
  }
  for (const used of ['pg', 'ioredis']) assert.ok(loaded.includes(used), `${used} is loaded: ${loaded.join(', ')}`);
  assert.ok(!loaded.includes('better-sqlite3'), `better-sqlite3 is not loaded: ${loaded.join(', ')}`);
});
