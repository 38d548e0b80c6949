import { Queue, Worker } from 'bullmq';
import type { Config } from '../../config/config.js';
import type { Logger } from '../logger.js';
import { closeRedis, connectRedis, failFastOptions } from '../redis/redis-connection.js';
import { StoreUnavailableError } from '../store/key-value-store.js';
import type { DeadLetter, Job, JobHandler, JobName, JobQueue } from './jobs.js';

type BullConfig = Pick<Config, 'redisUrl' | 'redisKeyPrefix'>;

const queueName = 'jobs';

/** BullMQ names may not contain ':', so the deployment's key prefix goes into BullMQ's own key prefix. */
function bullPrefix(config: BullConfig): string {
  return `${config.redisKeyPrefix}bull`;
}

function requireRedisUrl(config: BullConfig): string {
  if (config.redisUrl === null) throw new Error('The BullMQ queue needs REDIS_URL');
  return config.redisUrl;
}

export interface BullQueueOptions {
  /** Tries per job, the first one included. Default 5. */
  attempts?: number;
  /** Wait before the second try, doubled before each later one. Default 10 s. */
  backoffDelayMs?: number;
}

/** Puts jobs in Redis, where they outlive this process, for a BullMQ worker (startBullWorker) to run. */
export class BullQueue implements JobQueue {
  // The producer fails fast, as BullMQ's "failing fast when Redis is down" advises for queues fed by HTTP
  // requests: with Redis down, enqueue rejects within about a second instead of holding the request open.
  private readonly connection;
  private readonly queue: Queue<Job['data'], void, JobName>;

  constructor(config: BullConfig, logger: Logger, options: BullQueueOptions = {}) {
    this.connection = connectRedis(requireRedisUrl(config), 'queue', logger, failFastOptions);
    this.queue = new Queue(queueName, {
      connection: this.connection,
      prefix: bullPrefix(config),
      // Otherwise BullMQ holds every add until the connection is ready, however long that takes.
      skipWaitingForReady: true,
      defaultJobOptions: {
        attempts: options.attempts ?? 5,
        backoff: { type: 'exponential', delay: options.backoffDelayMs ?? 10_000 },
        removeOnComplete: { count: 1000, age: 24 * 60 * 60 },
        // Failed jobs stay in the failed set, where they can be inspected and retried.
        removeOnFail: false,
      },
    });
    this.queue.on('error', (error) => {
      // While Redis is down every reconnect attempt emits an error; connectRedis already logged the outage.
      if (this.connection.status === 'ready') logger.error({ err: error }, 'Job queue error');
    });
  }

  async enqueue(job: Job): Promise<void> {
    try {
      await this.queue.add(job.name, job.data);
    } catch (error) {
      throw new StoreUnavailableError('The job queue is unavailable', { cause: error });
    }
  }

  /** One scheduler per job name: every process upserts the same one, so the job runs once per period. */
  async repeat(job: Job, everyMs: number): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(job.name, { every: everyMs }, { name: job.name, data: job.data });
    } catch (error) {
      throw new StoreUnavailableError('The job queue is unavailable', { cause: error });
    }
  }

  /** The most recent jobs that failed on every attempt (BullMQ keeps them in its failed set). */
  async counts(): Promise<Record<string, number>> {
    try {
      return await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    } catch (error) {
      throw new StoreUnavailableError('The job queue is unavailable', { cause: error });
    }
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const failed = await this.queue.getFailed(0, limit - 1);
    return failed.map((bullJob) => ({
      job: { name: bullJob.name, data: bullJob.data } as Job,
      attempts: bullJob.attemptsMade,
      error: bullJob.failedReason,
      failedAt: new Date(bullJob.finishedOn ?? bullJob.timestamp),
    }));
  }

  async close(): Promise<void> {
    await this.queue.close();
    await closeRedis(this.connection);
  }
}

export interface BullWorkerOptions {
  /** Jobs run at the same time. Default 5. */
  concurrency?: number;
}

export interface BullWorker {
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

/**
 * Runs queued jobs with the handler. A job whose worker died mid-run is handed to another worker by BullMQ's
 * stalled-job check once its lock expires.
 */
export function startBullWorker(
  config: BullConfig,
  handler: JobHandler,
  logger: Logger,
  options: BullWorkerOptions = {},
): BullWorker {
  // BullMQ waits for jobs with blocking commands, which must wait out a Redis outage rather than fail.
  const connection = connectRedis(requireRedisUrl(config), 'worker', logger, { maxRetriesPerRequest: null });
  const worker = new Worker<Job['data'], void, JobName>(
    queueName,
    // The producer added each job from a Job, so its name and data belong together.
    (bullJob) => handler({ name: bullJob.name, data: bullJob.data } as Job),
    { connection, prefix: bullPrefix(config), concurrency: options.concurrency ?? 5 },
  );
  worker.on('failed', (bullJob, error) => {
    if (bullJob === undefined) return;
    const final = bullJob.attemptsMade >= (bullJob.opts.attempts ?? 1);
    const details = { err: error, job: bullJob.name, id: bullJob.id, attempt: bullJob.attemptsMade };
    if (final) logger.error(details, 'Job failed on every attempt; kept in the failed set');
    else logger.warn(details, 'Job failed; will retry');
  });
  worker.on('stalled', (id) => logger.warn({ id }, 'Job stalled (its worker stopped); it will run again'));
  worker.on('error', (error) => {
    // While Redis is down every reconnect attempt emits an error; connectRedis already logged the outage.
    if (connection.status === 'ready') logger.error({ err: error }, 'Job worker error');
  });
  return {
    async close() {
      // With Redis down no running job can be marked done anyway, and a graceful close would wait for Redis
      // forever; BullMQ hands such jobs to another worker once their lock expires.
      await worker.close(connection.status !== 'ready');
      await closeRedis(connection);
    },
  };
}
