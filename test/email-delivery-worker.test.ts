import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './infra/support/redis.js';
import { startSmtpTestServer, type SmtpTestServer } from './infra/support/smtp-test-server.js';
import { spawnEntry, type SpawnedProcess } from './helpers/processes.js';
import { codeIn, codeSubject, verifiedSubject, waitFor, waitForMessage } from './helpers/mail.js';
import { createTestApp, newUser, type TestApp } from './helpers/test-app.js';
import { suiteUnless } from './helpers/suite.js';

describe('background email through the API’s in-process queue', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpTestServer({ rejectFirst: 2 });
    t = await createTestApp('sqlite', { SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100' });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('the response does not wait for the email, which arrives after the SMTP server refused it twice', async () => {
    const user = await newUser(t);
    const address = 'retried@example.com';
    const res = await t.inject({ method: 'POST', url: '/users/email/otp', headers: user.headers, payload: { email: address } });
    assert.equal(res.statusCode, 200);
    // Answered before the first delivery attempt was even refused.
    assert.equal(smtp.received.length, 0);

    const code = codeIn(await waitForMessage(smtp, address, codeSubject));
    assert.equal(smtp.rejectedCount(), 2);

    const verified = await t.inject({ method: 'POST', url: '/users/email/otp/verify', headers: user.headers, payload: { email: address, otp: code } });
    assert.equal(verified.statusCode, 200);
    await waitForMessage(smtp, address, verifiedSubject);
  });
});

suiteUnless('background email through BullMQ and a separate worker process', testRedisUrl === null ? 'TEST_REDIS_URL is not set' : false, {}, () => {
  const redisUrl = testRedisUrl as string;
  const prefix = uniqueKeyPrefix();
  const workerDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-worker-'));
  let workerSmtp: SmtpTestServer;
  let apiSmtp: SmtpTestServer;
  let worker: SpawnedProcess;
  let t: TestApp;

  before(async () => {
    // The worker's first delivery is refused, so its retry is logged and can be checked for secrets.
    workerSmtp = await startSmtpTestServer({ rejectFirst: 1 });
    apiSmtp = await startSmtpTestServer();
    worker = spawnEntry('src/worker.ts', [], {
      NODE_ENV: 'test',
      DATA_DIR: workerDataDir,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      SMTP_URL: workerSmtp.url,
      LOG_LEVEL: 'info',
    });
    await waitFor(() => (worker.output().includes('Worker started') ? true : undefined), 'the worker to start', 15_000);
    // The API gets an SMTP server of its own: anything it delivered itself would show up there.
    // BullMQ keeps the retry backoff with each job, so it is the producer's setting that counts.
    t = await createTestApp('sqlite', {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      RUN_WORKER_IN_API: 'false',
      SMTP_URL: apiSmtp.url,
      JOB_BACKOFF_MS: '50',
    });
  });
  after(async () => {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await t.close();
    await workerSmtp.close();
    await apiSmtp.close();
    await deleteKeysWithPrefix(redisUrl, prefix);
    fs.rmSync(workerDataDir, { recursive: true, force: true });
  });

  test('emails queued by the API are delivered by the worker; SIGTERM stops it cleanly', async () => {
    const user = await newUser(t);
    const address = 'worker@example.com';
    const res = await t.inject({ method: 'POST', url: '/users/email/otp', headers: user.headers, payload: { email: address } });
    assert.equal(res.statusCode, 200);

    const code = codeIn(await waitForMessage(workerSmtp, address, codeSubject, 1, 10_000));
    assert.equal(workerSmtp.rejectedCount(), 1);
    const verified = await t.inject({ method: 'POST', url: '/users/email/otp/verify', headers: user.headers, payload: { email: address, otp: code } });
    assert.equal(verified.statusCode, 200);
    await waitForMessage(workerSmtp, address, verifiedSubject, 1, 10_000);
    assert.equal(apiSmtp.received.length, 0, 'the API process runs no worker');

    assert.match(worker.output(), /Job failed; will retry/);
    assert.ok(!worker.output().includes(code), 'the code never reaches a log');

    const exited = once(worker.child, 'exit');
    worker.child.kill('SIGTERM');
    const [exitCode] = await exited;
    assert.equal(exitCode, 0, worker.output());
    assert.match(worker.output(), /Worker stopped/);
  });
});
