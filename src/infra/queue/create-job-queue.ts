import type { Config } from '../../config/config.js';
import type { Logger } from '../logger.js';
import { InProcessQueue } from './in-process-queue.js';
import type { JobHandler, JobQueue } from './jobs.js';

/**
 * With REDIS_URL, jobs go to BullMQ and are run by `npm run worker`, and also inside the API process unless
 * RUN_WORKER_IN_API=false. Without it, they run in this process, and BullMQ is never loaded.
 */
export async function createJobQueue(
  config: Pick<Config, 'redisUrl' | 'redisKeyPrefix' | 'runWorkerInApi' | 'jobBackoffMs'>,
  handler: JobHandler,
  logger: Logger,
): Promise<JobQueue> {
  const backoff = config.jobBackoffMs === null ? {} : { backoffDelayMs: config.jobBackoffMs };
  if (config.redisUrl === null) return new InProcessQueue(handler, logger, backoff);
  const { BullQueue, startBullWorker } = await import('./bull-queue.js');
  const queue = new BullQueue(config, logger, backoff);
  if (!config.runWorkerInApi) return queue;
  const worker = startBullWorker(config, handler, logger);
  return {
    enqueue: (job) => queue.enqueue(job),
    repeat: (job, everyMs) => queue.repeat(job, everyMs),
    counts: () => queue.counts(),
    async close() {
      // The worker first, so the jobs it is running can finish.
      await worker.close();
      await queue.close();
    },
  };
}
