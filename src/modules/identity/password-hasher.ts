import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { HashingTask } from './password-hashing.worker.js';

export interface Argon2Options {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The worker module beside this one: `.ts` under tsx, `.js` in the build. */
const hashingWorkerFile = new URL(`./password-hashing.worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

export interface PasswordCheck {
  valid: boolean;
  /** The hash is valid but made with an older scheme or weaker parameters: store a fresh one. */
  needsRehash: boolean;
}

/**
 * argon2id for every new hash; bcrypt hashes (as the seed tutorial stored them) still verify and are upgraded
 * on the next successful log-in. Hashing runs in a pool of at most `maxConcurrentHashes` worker threads (the rest
 * wait their turn), never on the event loop, and at a lower scheduling priority (`nice` +10): when log-ins and
 * other requests compete for the cores, the other requests win, and hashing takes what is left. That keeps
 * `GET /todos` fast while log-ins run at the hashing limit (docs/benchmarks.md, "Log-ins at the hashing limit").
 * Before, hashing ran on libuv's thread pool at the event loop's own priority. The threads start at the first
 * hash and end after a minute without one.
 */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;
  private readonly currentParams: string;
  private pool: Promise<Piscina> | undefined;
  private closed = false;

  constructor(
    private readonly options: Argon2Options,
    private readonly maxConcurrentHashes: number,
  ) {
    this.currentParams = `m=${options.memoryCost},t=${options.timeCost},p=${options.parallelism}`;
  }

  hash(password: string): Promise<string> {
    return this.run({ kind: 'hash', password, ...this.options }) as Promise<string>;
  }

  async check(password: string, stored: string): Promise<PasswordCheck> {
    if (stored.startsWith('$2')) {
      const valid = (await this.run({ kind: 'verify-bcrypt', stored, password })) as boolean;
      return { valid, needsRehash: valid };
    }
    if (!stored.startsWith('$argon2')) return { valid: false, needsRehash: false };
    const valid = (await this.run({ kind: 'verify-argon2', stored, password })) as boolean;
    return { valid, needsRehash: valid && !stored.startsWith(`$argon2id$v=19$${this.currentParams}$`) };
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    if (pool !== undefined) await (await pool).destroy();
  }

  private async run(task: HashingTask): Promise<string | boolean> {
    if (this.closed) throw new Error('the password hasher is closed');
    const pool = await (this.pool ??= this.startPool());
    return (await pool.run(task)) as string | boolean;
  }

  private async startPool(): Promise<Piscina> {
    // Loaded here, not at start: processes that never hash (the job worker) skip it.
    const { Piscina } = await import('piscina');
    return new Piscina({
      filename: hashingWorkerFile,
      minThreads: 0,
      maxThreads: this.maxConcurrentHashes,
      idleTimeout: 60_000,
      niceIncrement: 10,
    });
  }

  /**
   * Spends the same time as checking a real password, for a user that does not exist, so response time does
   * not tell an attacker which usernames are taken.
   */
  async checkAgainstDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash('spruce-dummy-password-for-timing');
    const dummy = await this.dummyHash;
    await this.run({ kind: 'verify-argon2', stored: dummy, password });
  }
}
