import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessQueue } from '../../src/infra/queue/in-process-queue.js';
import type { Job } from '../../src/infra/queue/jobs.js';
import { recordingLogger } from './support/recording-logger.js';

const job: Job = {
  name: 'send-email',
  data: { to: 'alice@example.com', subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' },
};

describe('InProcessQueue', () => {
  it('runs a job after enqueue returns, not during it', async () => {
    const ran: Job[] = [];
    const queue = new InProcessQueue(async (j) => void ran.push(j), recordingLogger());
    await queue.enqueue(job);
    assert.equal(ran.length, 0);
    await queue.close();
    assert.deepEqual(ran, [job]);
  });

  it('retries a failing job with exponential backoff until it succeeds', async () => {
    const attemptTimes: number[] = [];
    const logger = recordingLogger();
    const queue = new InProcessQueue(
      async () => {
        attemptTimes.push(Date.now());
        if (attemptTimes.length <= 2) throw new Error('SMTP relay unavailable');
      },
      logger,
      { attempts: 3, backoffDelayMs: 20 },
    );
    await queue.enqueue(job);
    await queue.close();

    assert.equal(attemptTimes.length, 3);
    const [first, second, third] = attemptTimes as [number, number, number];
    assert.ok(second - first >= 19, `first wait ${second - first} ms`);
    assert.ok(third - second >= 39, `second wait ${third - second} ms, doubled`);
    assert.deepEqual(queue.deadLetters, []);
    assert.equal(logger.entries.filter((entry) => entry.level === 'warn').length, 2);
  });

  it('keeps a job that fails on every attempt in the dead-letter list', async () => {
    const logger = recordingLogger();
    let attempts = 0;
    const queue = new InProcessQueue(
      async () => {
        attempts += 1;
        throw new Error('mailbox does not exist');
      },
      logger,
      { attempts: 3, backoffDelayMs: 1 },
    );
    await queue.enqueue(job);
    await queue.close();

    assert.equal(attempts, 3);
    assert.equal(queue.deadLetters.length, 1);
    const [letter] = queue.deadLetters;
    assert.deepEqual(letter?.job, job);
    assert.equal(letter?.attempts, 3);
    assert.match(String(letter?.error), /mailbox does not exist/);
    assert.equal(logger.entries.filter((entry) => entry.level === 'error').length, 1);
  });

  it('close() waits for a running job to finish', async () => {
    let finished = false;
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const queue = new InProcessQueue(async () => {
      started();
      await sleep(150);
      finished = true;
    }, recordingLogger());
    await queue.enqueue(job);
    await running;
    await queue.close();
    assert.equal(finished, true);
  });

  it('close() waits for a pending retry', async () => {
    let attempts = 0;
    const queue = new InProcessQueue(
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('try again');
      },
      recordingLogger(),
      { backoffDelayMs: 100 },
    );
    await queue.enqueue(job);
    await sleep(20);
    await queue.close();
    assert.equal(attempts, 2);
  });

  it('past its deadline, close() hands back unfinished jobs and logs who they were for, never their bodies', async () => {
    const logger = recordingLogger();
    const queue = new InProcessQueue(
      async () => {
        throw new Error('down');
      },
      logger,
      { backoffDelayMs: 60_000, closeTimeoutMs: 100 },
    );
    await queue.enqueue(job);
    const started = Date.now();
    await queue.close();
    assert.ok(Date.now() - started < 1000);

    const handedBack = logger.entries.find((entry) => entry.message.includes('handed back'));
    assert.ok(handedBack !== undefined);
    assert.equal(handedBack.level, 'error');
    const { jobs } = handedBack.details as { jobs: unknown[] };
    assert.deepEqual(jobs, [{ name: job.name, to: job.data.to, subject: job.data.subject, attempt: 1, state: 'waiting-to-retry' }]);
    // The body may hold a one-time code or a reset link: it never reaches the log.
    assert.ok(!JSON.stringify(handedBack.details).includes(job.data.html));
  });

  it('refuses jobs once closing', async () => {
    const queue = new InProcessQueue(async () => {}, recordingLogger());
    await queue.close();
    await assert.rejects(queue.enqueue(job), /closed/);
  });
});
