import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../src/infra/logger.js';
import { BullQueue, startBullWorker } from '../../src/infra/queue/bull-queue.js';
import { InProcessQueue } from '../../src/infra/queue/in-process-queue.js';
import type { Job } from '../../src/infra/queue/jobs.js';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './support/redis.js';

const prune: Job = { name: 'prune-expired', data: {} };

describe('repeated jobs', () => {
  it('the embedded queue runs a repeated job on a timer, and stops with close()', async () => {
    const runs: Job[] = [];
    const queue = new InProcessQueue(async (job) => void runs.push(job), silentLogger);
    await queue.repeat(prune, 20);
    await sleep(120);
    assert.ok(runs.length >= 2, `ran ${runs.length} times`);
    assert.ok(runs.every((job) => job.name === 'prune-expired'));
    await queue.close();
    const after = runs.length;
    await sleep(60);
    assert.equal(runs.length, after);
  });

  describe('with BullMQ', { skip: testRedisUrl === null ? 'TEST_REDIS_URL is not set' : false }, () => {
    const prefix = uniqueKeyPrefix();
    after(() => deleteKeysWithPrefix(testRedisUrl as string, prefix));

    it('every process upserts one scheduler, and a worker runs the job', async () => {
      const config = { redisUrl: testRedisUrl, redisKeyPrefix: prefix };
      const [one, two] = [new BullQueue(config, silentLogger), new BullQueue(config, silentLogger)];
      const runs: Job[] = [];
      const worker = startBullWorker(config, async (job) => void runs.push(job), silentLogger);
      try {
        await Promise.all([one.repeat(prune, 200), two.repeat(prune, 200)]);
        const schedulers = await (one as unknown as { queue: { getJobSchedulers(): Promise<unknown[]> } }).queue.getJobSchedulers();
        assert.equal(schedulers.length, 1);
        const deadline = Date.now() + 5000;
        while (runs.length === 0 && Date.now() < deadline) await sleep(50);
        assert.equal(runs[0]?.name, 'prune-expired');
      } finally {
        await worker.close();
        await one.close();
        await two.close();
      }
    });
  });
});
