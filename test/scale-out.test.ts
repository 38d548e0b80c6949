import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startSmtpTestServer, type SmtpTestServer } from './infra/support/smtp-test-server.js';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './infra/support/redis.js';
import { createPostgresDatabase } from './helpers/test-app.js';
import { call, spawnEntry, startApiProcess, waitFor, type ApiProcess, type SpawnedProcess } from './helpers/processes.js';
import { suiteUnless } from './helpers/suite.js';

const enabled = Boolean(process.env.TEST_DATABASE_URL) && testRedisUrl !== null;
const password = 'correct-horse-9';

/**
 * The production shape on one machine: two API processes and one worker as separate OS processes, sharing one
 * PostgreSQL database and one Redis, talked to over real HTTP. Nothing that must be shared may live in one
 * process's memory, and a process dying must not lose committed data.
 */
suiteUnless('scale-out: two API processes and a worker on one PostgreSQL and one Redis', enabled ? false : 'needs TEST_DATABASE_URL and TEST_REDIS_URL', { timeout: 180_000 }, () => {
  let database: { url: string; drop: () => Promise<void> };
  let smtp: SmtpTestServer;
  let env: Record<string, string>;
  let a: ApiProcess;
  let b: ApiProcess;
  let worker: SpawnedProcess;
  let dataDir: string;
  const prefix = uniqueKeyPrefix();

  before(async () => {
    database = await createPostgresDatabase();
    smtp = await startSmtpTestServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-scale-'));
    env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl as string,
      REDIS_KEY_PREFIX: prefix,
      SMTP_URL: smtp.url,
      RUN_WORKER_IN_API: 'false',
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '4',
      REQUIRE_VERIFIED_LOGIN: 'false',
    };
    // Migrations run once, as their own step, exactly as a deployment does it.
    const migrate = spawnEntry('src/cli.ts', ['migrate'], env);
    assert.equal(await migrate.exited, 0, migrate.output());
    [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    worker = spawnEntry('src/worker.ts', [], env);
  });

  after(async () => {
    for (const process of [a, b, worker]) {
      if (process && process.child.exitCode === null && process.child.signalCode === null) {
        process.signal('SIGKILL');
        await process.exited;
      }
    }
    await smtp?.close();
    await database?.drop();
    await deleteKeysWithPrefix(testRedisUrl as string, prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function signUpAndLogIn(api: ApiProcess, loginApi: ApiProcess, username: string): Promise<Record<string, string>> {
    const signUp = await call(api.url, 'POST', '/users/sign-up', { username, password });
    assert.equal(signUp.status, 201);
    const logIn = await call(loginApi.url, 'POST', '/users/log-in', { username, password });
    assert.ok(logIn.status === 200, JSON.stringify(logIn));
    return { authorization: `Bearer ${logIn.body.access_token}` };
  }

  test('an account made through one process logs in and works through the other', async () => {
    const headers = await signUpAndLogIn(a, b, 'shared_one');
    const created = await call(a.url, 'POST', '/todos', { content: 'made on A', is_done: false }, headers);
    assert.equal(created.status, 201);
    const listed = await call(b.url, 'GET', '/todos', undefined, headers);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.status === 200 && listed.body.todos.map((t: { content: string }) => t.content), ['made on A']);
  });

  test('log-in throttling counts failures from both processes', async () => {
    await signUpAndLogIn(a, a, 'throttled');
    for (const api of [a, b, a, b]) {
      assert.equal((await call(api.url, 'POST', '/users/log-in', { username: 'throttled', password: 'wrong-pass-1' })).status, 401);
    }
    for (const api of [a, b]) {
      const blocked = await call(api.url, 'POST', '/users/log-in', { username: 'throttled', password });
      assert.equal(blocked.status, 429);
      assert.ok(blocked.status === 429 && Number(blocked.headers.get('retry-after')) > 0);
    }
  });

  test('a token logged out through one process is refused by the other', async () => {
    const headers = await signUpAndLogIn(a, b, 'logs_out');
    assert.equal((await call(b.url, 'GET', '/todos', undefined, headers)).status, 200);
    assert.equal((await call(a.url, 'POST', '/api/auth/logout', undefined, headers)).status, 204);
    // B had already seen this token and cached "not revoked"; the broadcast must reach it.
    await waitFor('B to refuse the revoked token', async () =>
      (await call(b.url, 'GET', '/todos', undefined, headers)).status === 401 ? true : undefined, 2_000);
    assert.equal((await call(a.url, 'GET', '/todos', undefined, headers)).status, 401);
  });

  test('an OTP requested through one process is verified through the other, the email delivered by the worker', async () => {
    const headers = await signUpAndLogIn(a, b, 'otp_user');
    const email = 'otp.user@example.com';
    const before = smtp.received.length;
    const requested = await call(a.url, 'POST', '/users/email/otp', { email }, headers);
    assert.equal(requested.status, 200, JSON.stringify(requested));
    assert.ok(!JSON.stringify(requested).match(/\b\d{6}\b/), 'the code must never be in the response');
    const message = await waitFor('the worker to deliver the code', () => smtp.received.slice(before).find((m) => m.includes(email)));
    const code = /\b(\d{6})\b/.exec(message.replace(/=\r?\n/g, ''))?.[1];
    assert.ok(code, 'a 6-digit code in the email');
    const verified = await call(b.url, 'POST', '/users/email/otp/verify', { email, otp: code }, headers);
    assert.equal(verified.status, 200, JSON.stringify(verified));
    assert.equal(verified.status === 200 && verified.body.username, 'otp_user');
  });

  test('a process killed with SIGKILL mid-request loses no committed data, and the other keeps serving', async () => {
    const headers = await signUpAndLogIn(a, b, 'survivor');
    const writes = Array.from({ length: 60 }, (_, i) =>
      call(a.url, 'POST', '/todos', { content: `write ${i}`, is_done: false }, headers).then((r) => ({ i, r })),
    );
    await new Promise((r) => setTimeout(r, 40));
    a.signal('SIGKILL');
    const outcomes = await Promise.all(writes);
    await a.exited;
    const committed = outcomes.filter(({ r }) => r.status === 201).map(({ i }) => `write ${i}`);
    const listed = await call(b.url, 'GET', '/todos', undefined, headers);
    assert.equal(listed.status, 200);
    const stored: string[] = listed.status === 200 ? listed.body.todos.map((t: { content: string }) => t.content) : [];
    // Every write the client saw succeed is there; anything else is there whole or not at all.
    for (const content of committed) assert.ok(stored.includes(content), `${content} was acknowledged but is missing`);
    for (const content of stored) assert.match(content, /^write \d+$/);
    assert.equal(new Set(stored).size, stored.length);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query("select count(*)::int as n from todos where content like 'write %'");
      assert.equal(rows[0].n, stored.length);
    } finally {
      await client.end();
    }
    // B still serves, and a fresh process takes A's place.
    assert.equal((await call(b.url, 'GET', '/health')).status, 200);
    a = await startApiProcess(env);
    assert.equal((await call(a.url, 'GET', '/todos', undefined, headers)).status, 200);
  });

  test('SIGTERM under load completes the requests in flight and exits cleanly', async () => {
    const headers = await signUpAndLogIn(b, b, 'graceful');
    const requests = Array.from({ length: 40 }, (_, i) =>
      call(b.url, 'POST', '/todos', { content: `graceful ${i}`, is_done: false }, headers),
    );
    await new Promise((r) => setTimeout(r, 30));
    b.signal('SIGTERM');
    const outcomes = await Promise.all(requests);
    assert.equal(await b.exited, 0, b.output());
    const acknowledged = outcomes.filter((o) => o.status === 201).length;
    for (const outcome of outcomes) {
      // Accepted requests finish normally. Ones that arrive after the listener closed are refused, told 503, or
      // (the keep-alive race every HTTP server has) written onto an idle connection just as it was closed,
      // unread; the row count below shows none of those was half-done.
      if (outcome.status === 'network-error') assert.ok(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(outcome.code), outcome.code);
      else assert.ok(outcome.status === 201 || outcome.status === 503, String(outcome.status));
    }
    assert.ok(acknowledged > 0);
    const listed = await call(a.url, 'GET', '/todos', undefined, headers);
    assert.equal(listed.status === 200 && listed.body.todos.length, acknowledged);
  });

  test('the worker stops cleanly on SIGTERM', async () => {
    worker.signal('SIGTERM');
    assert.equal(await worker.exited, 0, worker.output());
  });
});
