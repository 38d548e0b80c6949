import type { EmailMessage } from '../mailer/mailer.js';

/**
 * Every background job Spruce runs, as one union: a producer and its worker cannot disagree on a job's shape.
 * Add a job by adding a member here and a case to the handler that runs it.
 */
export type Job =
  | { name: 'send-email'; data: EmailMessage }
  /** Deletes expired sessions and audit events past their retention; scheduled every PRUNE_INTERVAL_SECONDS. */
  | { name: 'prune-expired'; data: Record<string, never> };

export type JobName = Job['name'];

export interface JobQueue {
  /** Queues a job; resolves once the job is durably accepted (not when it has run). */
  enqueue(job: Job): Promise<void>;
  /**
   * Runs the job every `everyMs`: a BullMQ job scheduler with Redis (one schedule however many processes ask),
   * a timer in this process without.
   */
  repeat(job: Job, everyMs: number): Promise<void>;
  /** How many jobs are in each state now (waiting, active, delayed, failed...), for metrics. */
  counts(): Promise<Record<string, number>>;
  /** Waits for queued and running jobs to finish or be handed back, then stops. No job is lost. */
  close(): Promise<void>;
}

/** Runs one job; a throw makes the queue retry it with exponential backoff. */
export type JobHandler = (job: Job) => Promise<void>;

/** A job that failed on every attempt, kept for inspection. */
export interface DeadLetter {
  job: Job;
  attempts: number;
  error: unknown;
  failedAt: Date;
}
