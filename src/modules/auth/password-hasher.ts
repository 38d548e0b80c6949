import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm is an ambient const enum; 2 is its Argon2id member.
const argon2id = 2;
import bcrypt from 'bcrypt';

export interface Argon2Options {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
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

  constructor(private readonly options: Argon2Options) {
    this.currentParams = `m=${options.memoryCost},t=${options.timeCost},p=${options.parallelism}`;
  }

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: argon2id, ...this.options });
  }

  async check(password: string, stored: string): Promise<PasswordCheck> {
    if (stored.startsWith('$2')) {
      const valid = await bcrypt.compare(password, stored);
      return { valid, needsRehash: valid };
    }
    if (!stored.startsWith('$argon2')) return { valid: false, needsRehash: false };
    let valid = false;
    try {
      valid = await verify(stored, password);
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
    await verify(await this.dummyHash, password).catch(() => false);
  }
}
