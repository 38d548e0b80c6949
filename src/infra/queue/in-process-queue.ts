import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { DeadLetter, Job, JobHandler, JobQueue } from './jobs.js';

export interface InProcessQueueOptions {
  /** Tries per job, the first one included. Default 3. */
  attempts?: number;
  /** Wait before the second try, doubled before each later one. Default 1000 ms. */
  backoffDelayMs?: number;
  /** How long close() waits for running jobs and pending retries before handing them back. Default 10 s. */
  closeTimeoutMs?: number;
  /** How many dead letters are kept for inspection; older ones are dropped (each was logged). Default 1000. */
  maxDeadLetters?: number;
}

interface Tracked {
  job: Job;
  attempt: number;
  state: 'queued' | 'running' | 'waiting-to-retry';
}

/**
 * The embedded queue: runs each job in this process once the current request is done, retrying with
 * exponential backoff. Jobs live only in memory, so this is for a single process; with REDIS_URL set, Spruce
 * uses BullMQ, which keeps jobs across restarts.
 */
export class InProcessQueue implements JobQueue {
  private readonly attempts: number;
  private readonly backoffDelayMs: number;
  private readonly closeTimeoutMs: number;
  private readonly maxDeadLetters: number;
  private readonly unfinished = new Map<Tracked, Promise<void>>();
  // Cuts the retry waits short when close() gives up on them.
  private readonly handBack = new AbortController();
  private readonly failed: DeadLetter[] = [];
  private closing = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly handler: JobHandler,
    private readonly logger: Logger,
    options: InProcessQueueOptions = {},
  ) {
    this.attempts = options.attempts ?? 3;
    this.backoffDelayMs = options.backoffDelayMs ?? 1000;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
    this.maxDeadLetters = options.maxDeadLetters ?? 1000;
  }

  /** Jobs that failed on every try, oldest first. */
  async counts(): Promise<Record<string, number>> {
    return { unfinished: this.unfinished.size, failed: this.failed.length };
  }

  get deadLetters(): readonly DeadLetter[] {
    return this.failed;
  }

  async enqueue(job: Job): Promise<void> {
    if (this.closing) throw new Error('The job queue is closed');
    const tracked: Tracked = { job, attempt: 0, state: 'queued' };
    this.unfinished.set(
      tracked,
      this.run(tracked).finally(() => this.unfinished.delete(tracked)),
    );
  }

  async repeat(job: Job, everyMs: number): Promise<void> {
    const timer = setInterval(() => {
      if (!this.closing) void this.enqueue(job);
    }, everyMs);
    // A schedule never keeps the process alive on its own.
    timer.unref();
    this.timers.add(timer);
  }

  private async run(tracked: Tracked): Promise<void> {
    // Lets the request that queued the job finish first.
    await nextTurn();
    const { job } = tracked;
    for (tracked.attempt = 1; ; tracked.attempt++) {
      tracked.state = 'running';
      try {
        await this.handler(job);
        return;
      } catch (error) {
        if (tracked.attempt >= this.attempts) {
          this.deadLetter({ job, attempts: tracked.attempt, error, failedAt: new Date() });
          return;
        }
        const delayMs = this.backoffDelayMs * 2 ** (tracked.attempt - 1);
        this.logger.warn({ err: error, job: job.name, attempt: tracked.attempt, delayMs }, 'Job failed; will retry');
        tracked.state = 'waiting-to-retry';
        try {
          await sleep(delayMs, undefined, { signal: this.handBack.signal });
        } catch {
          return; // Handed back by close(), which logs it.
        }
      }
    }
  }

  private deadLetter(letter: DeadLetter): void {
    this.logger.error(
      { err: letter.error, job: letter.job.name, attempts: letter.attempts },
      'Job failed on every attempt; kept in the dead-letter list',
    );
    this.failed.push(letter);
    if (this.failed.length > this.maxDeadLetters) this.failed.shift();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(this.unfinished.values()).then(() => false),
      new Promise<boolean>((resolve) => {
        deadline = setTimeout(() => resolve(true), this.closeTimeoutMs);
      }),
    ]);
    clearTimeout(deadline);
    if (!timedOut) return;
    const handedBack = [...this.unfinished.keys()];
    this.handBack.abort();
    // Email bodies hold one-time codes and reset links, which never go to a log: recipient and subject say
    // enough for an operator to ask the user to request a new one.
    this.logger.error(
      {
        jobs: handedBack.map(({ job, attempt, state }) =>
          job.name === 'send-email' ? { name: job.name, to: job.data.to, subject: job.data.subject, attempt, state } : { name: job.name, attempt, state },
        ),
      },
      `${handedBack.length} job(s) unfinished at shutdown were handed back`,
    );
  }
}
