import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../src/infra/logger.js';
import { BullQueue, startBullWorker } from '../../src/infra/queue/bull-queue.js';
import { createJobQueue } from '../../src/infra/queue/create-job-queue.js';
import type { Job, JobHandler } from '../../src/infra/queue/jobs.js';
import { StoreUnavailableError } from '../../src/infra/store/key-value-store.js';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './support/redis.js';
import { suiteUnless } from '../helpers/suite.js';

function emailJob(subject: string): Job {
  return { name: 'send-email', data: { to: 'carol@example.com', subject, text: subject, html: `<p>${subject}</p>` } };
}

/** A handler that records the jobs it ran and lets a test wait for the nth one. */
function recordingHandler(failures: number): { handler: JobHandler; calls: Job[]; succeeded: Promise<Job> } {
  const calls: Job[] = [];
  let succeed: (job: Job) => void = () => {};
  const succeeded = new Promise<Job>((resolve) => (succeed = resolve));
  const handler: JobHandler = async (job) => {
    calls.push(job);
    if (calls.length <= failures) throw new Error(`failure ${calls.length}`);
    succeed(job);
  };
  return { handler, calls, succeeded };
}

// Each test gets its own key prefix, hence its own BullMQ queue, and the keys are deleted at the end.
suiteUnless('BullQueue and startBullWorker', testRedisUrl === null ? 'TEST_REDIS_URL is not set' : false, {}, () => {
  const prefixes: string[] = [];
  function freshConfig() {
    const redisKeyPrefix = uniqueKeyPrefix();
    prefixes.push(redisKeyPrefix);
    return { redisUrl: testRedisUrl, redisKeyPrefix, runWorkerInApi: false, jobBackoffMs: null };
  }
  after(async () => {
    for (const prefix of prefixes) await deleteKeysWithPrefix(testRedisUrl!, prefix);
  });

  it('a job queued through BullQueue is run by a worker on its own connection', async () => {
    const config = freshConfig();
    const { handler, succeeded } = recordingHandler(0);
    const queue = new BullQueue(config, silentLogger);
    const worker = startBullWorker(config, handler, silentLogger);
    try {
      await queue.enqueue(emailJob('Welcome'));
      assert.deepEqual(await succeeded, emailJob('Welcome'));
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('retries a job that fails, then succeeds', async () => {
    const config = freshConfig();
    const { handler, calls, succeeded } = recordingHandler(2);
    const queue = new BullQueue(config, silentLogger, { backoffDelayMs: 10 });
    const worker = startBullWorker(config, handler, silentLogger);
    try {
      await queue.enqueue(emailJob('Reset your password'));
      assert.deepEqual(await succeeded, emailJob('Reset your password'));
      assert.equal(calls.length, 3);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('keeps a job that failed on every attempt in the failed set', async () => {
    const config = freshConfig();
    const { handler, calls } = recordingHandler(Number.POSITIVE_INFINITY);
    const queue = new BullQueue(config, silentLogger, { attempts: 2, backoffDelayMs: 10 });
    const worker = startBullWorker(config, handler, silentLogger);
    try {
      await queue.enqueue(emailJob('Undeliverable'));
      const deadline = Date.now() + 5000;
      let letters = await queue.deadLetters();
      while (letters.length === 0 && Date.now() < deadline) {
        await sleep(20);
        letters = await queue.deadLetters();
      }
      assert.equal(calls.length, 2);
      assert.equal(letters.length, 1);
      assert.deepEqual(letters[0]?.job, emailJob('Undeliverable'));
      assert.equal(letters[0]?.attempts, 2);
      assert.equal(letters[0]?.error, 'failure 2');
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('createJobQueue runs a worker inside the API process when asked to', async () => {
    const config = { ...freshConfig(), runWorkerInApi: true };
    const { handler, succeeded } = recordingHandler(0);
    const queue = createJobQueue(config, handler, silentLogger);
    try {
      await queue.enqueue(emailJob('Inside the API'));
      assert.deepEqual(await succeeded, emailJob('Inside the API'));
    } finally {
      await queue.close();
    }
  });
});

describe('BullQueue when Redis is down', () => {
  it('rejects enqueue with StoreUnavailableError within 2 s', async () => {
    const queue = new BullQueue({ redisUrl: 'redis://127.0.0.1:1', redisKeyPrefix: 'dead:' }, silentLogger);
    try {
      const started = Date.now();
      await assert.rejects(queue.enqueue(emailJob('Lost?')), StoreUnavailableError);
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    } finally {
      await queue.close();
    }
  });
});
