import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm is an ambient const enum; 2 is its Argon2id member.
const argon2id = 2;

export interface Argon2Options {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Lets at most `limit` hashes run at once; the rest wait their turn without blocking anything. Hashing runs on
 * libuv's thread pool, which file and DNS work share: a flood of log-ins must not take every thread.
 */
class HashingSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export interface PasswordCheck {
  valid: boolean;
  /** The hash is valid but made with an older scheme or weaker parameters: store a fresh one. */
  needsRehash: boolean;
}

/**
 * argon2id for every new hash; bcrypt hashes (as the seed tutorial stored them) still verify and are upgraded
 * on the next successful log-in. Both libraries hash on libuv's thread pool, never on the event loop.
 */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;
  private readonly currentParams: string;
  private readonly slots: HashingSlots;

  constructor(
    private readonly options: Argon2Options,
    maxConcurrentHashes: number,
  ) {
    this.currentParams = `m=${options.memoryCost},t=${options.timeCost},p=${options.parallelism}`;
    this.slots = new HashingSlots(maxConcurrentHashes);
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => hash(password, { algorithm: argon2id, ...this.options }));
  }

  async check(password: string, stored: string): Promise<PasswordCheck> {
    if (stored.startsWith('$2')) {
      // Only accounts imported from the seed tutorial have bcrypt hashes: its native module loads at the first.
      const { default: bcrypt } = await import('bcrypt');
      const valid = await this.slots.run(() => bcrypt.compare(password, stored));
      return { valid, needsRehash: valid };
    }
    if (!stored.startsWith('$argon2')) return { valid: false, needsRehash: false };
    let valid = false;
    try {
      valid = await this.slots.run(() => verify(stored, password));
    } catch {
      valid = false;
    }
    return { valid, needsRehash: valid && !stored.startsWith(`$argon2id$v=19$${this.currentParams}$`) };
  }

  /**
   * Spends the same time as checking a real password, for a user that does not exist, so response time does
   * not tell an attacker which usernames are taken.
   */
  async checkAgainstDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash('spruce-dummy-password-for-timing');
    const dummy = await this.dummyHash;
    await this.slots.run(() => verify(dummy, password)).catch(() => false);
  }
}
