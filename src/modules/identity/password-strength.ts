import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import type { Piscina } from 'piscina';
import { ServiceUnavailableError } from '../../core/errors.js';

/** What the worker is asked: a password and the words of its account, or `password: null` to load and wait. */
export interface StrengthTask {
  password: string | null;
  userInputs: string[];
}

/** zxcvbn's verdict: a score from 0 (guessed at once) to 4, and its advice in English. */
export interface StrengthEstimate {
  score: number;
  warning: string | null;
  suggestions: string[];
}

export interface StrengthEstimator {
  estimate(password: string, userInputs: string[]): Promise<StrengthEstimate>;
  close(): Promise<void>;
}

export interface ThreadedEstimatorOptions {
  /** A check waiting or running longer than this is abandoned (a running one's thread is replaced) and answers 503. */
  timeoutMs?: number;
  /**
   * The same for checks that wait for a new thread to load its dictionaries (under a second on a quiet machine,
   * several on a busy one): 30 s, or `timeoutMs` when only that is given.
   */
  loadTimeoutMs?: number;
  /** Checks waiting for the thread; past this a check answers 503 at once rather than queueing without end. */
  maxQueue?: number;
  /** The worker module; tests substitute one that misbehaves. */
  workerFile?: string;
  /** How long the thread (and its dictionaries) stays after its last check; 60 s unless given. */
  idleMs?: number;
}

/** The worker module beside this one: `.ts` under tsx, `.js` in the build. */
const defaultWorkerFile = new URL(`./password-strength.worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

export const passwordCheckUnavailableMessage = 'The password check is busy; try again in a moment.';

/**
 * zxcvbn in one worker thread (a Piscina pool of one), started at the first check: a check costs tens of
 * milliseconds of CPU and the dictionaries hundreds more to build, none of it on the event loop. The thread runs
 * at a lower priority (`nice`), so when it competes for a core with the event loop the event loop wins; argon2
 * keeps its own ARGON2_MAX_CONCURRENCY threads.
 *
 * The thread and its dictionaries (a second V8 heap, about 66 MB resident) exist only while passwords are being
 * chosen: started by the first check, not at start-up, and ended after `idleMs` (a minute) without one. A burst of
 * sign-ups shares one load; a lone sign-up on a quiet server waits for it (about half a second, off the event
 * loop), and an idle server stays under 100 MB (docs/benchmarks.md, "Memory").
 */
export class ThreadedStrengthEstimator implements StrengthEstimator {
  private pool: Promise<Piscina> | undefined;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly loadTimeoutMs: number;
  /** Whether the thread now running has its dictionaries: false from its start until its first answer. */
  private loaded = false;
  private readonly maxQueue: number;
  private readonly workerFile: string;
  private readonly idleMs: number;

  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
    options: ThreadedEstimatorOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.loadTimeoutMs = options.loadTimeoutMs ?? options.timeoutMs ?? 30_000;
    this.maxQueue = options.maxQueue ?? 64;
    this.workerFile = options.workerFile ?? defaultWorkerFile;
    this.idleMs = options.idleMs ?? 60_000;
  }

  async estimate(password: string, userInputs: string[]): Promise<StrengthEstimate> {
    const estimate = await this.run({ password, userInputs });
    if (estimate === null) throw new Error('the password-strength worker answered a check with nothing');
    return estimate;
  }

  /** Threads holding the dictionaries now: 1 from the first check until `idleMs` after the last, else 0. */
  async loadedThreads(): Promise<number> {
    return this.pool === undefined ? 0 : (await this.pool).threads.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    if (pool !== undefined) await (await pool).destroy();
  }

  private async run(task: StrengthTask): Promise<StrengthEstimate | null> {
    if (this.closed) throw new ServiceUnavailableError(passwordCheckUnavailableMessage);
    const pool = await (this.pool ??= this.startPool());
    try {
      // The signal covers the wait and the run: Piscina drops a waiting task, and stops (then replaces) a
      // thread still running one, so no request outlives the timeout. Loading the dictionaries is not a check's
      // cost, so while a thread loads them (the first check, or the first after an idle minute) the wait is longer.
      const timeoutMs = this.loaded ? this.timeoutMs : this.loadTimeoutMs;
      const estimate = (await pool.run(task, { signal: AbortSignal.timeout(timeoutMs) })) as StrengthEstimate | null;
      if (pool.threads.length > 0) this.loaded = true;
      return estimate;
    } catch (error) {
      this.log.warn({ err: error }, 'password strength check failed; answering 503');
      throw new ServiceUnavailableError(passwordCheckUnavailableMessage);
    }
  }

  private async startPool(): Promise<Piscina> {
    // Loaded here, not at start: processes that never check a password (the worker, most CLI commands) skip it.
    const { Piscina } = await import('piscina');
    const pool = new Piscina({
      filename: this.workerFile,
      minThreads: 0,
      maxThreads: 1,
      maxQueue: this.maxQueue,
      idleTimeout: this.idleMs,
      niceIncrement: 10,
    });
    // A new thread (the first, one replacing a stopped one, or one after an idle end) loads the dictionaries again.
    pool.on('workerCreate', () => {
      this.loaded = false;
    });
    return pool;
  }
}
