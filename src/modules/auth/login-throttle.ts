import { createHash } from 'node:crypto';
import type { KeyValueStore } from '../../infra/store/key-value-store.js';

export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Whose password a log-in attempt tries: an account, once the name or email typed has been resolved to one (so
 * every identifier of an account shares one counter), or the name typed when no account has it.
 */
export type LoginSubject = { accountId: string } | { unknownName: string };

/**
 * Counts password checks per account and per client address in the shared store, so the limits hold across
 * every API process and however many requests arrive at once.
 *
 * An attempt is counted before its password is checked (an atomic increment), and only an attempt that counted
 * within the limit may check one; a refused attempt takes its count back at once, so the counters hold exactly
 * the passwords checked in the window. A success resets the account's counter and takes the address's count
 * back (one right password says little about an address). Windows are fixed from the first counted attempt and
 * never extended, so a stranger guessing at an account locks its owner out for one window at most. Unknown names
 * are counted like accounts, under their own key: the throttle answers the same way whether an account exists.
 */
export class LoginThrottle {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: LoginThrottleOptions,
  ) {}

  private keys(subject: LoginSubject, address: string): [string, string] {
    const account =
      'accountId' in subject
        ? `login-attempts:account:${subject.accountId}`
        : // Hashed, so the store holds no list of the names and emails people typed.
          `login-attempts:name:${createHash('sha256').update(subject.unknownName.trim().toLowerCase()).digest('hex').slice(0, 32)}`;
    return [account, `login-attempts:address:${address}`];
  }

  /**
   * Counts one attempt. Returns 0 when its password may be checked now, or the seconds until the account or the
   * address may try again (the attempt is then not counted, and no password may be checked).
   */
  async acquire(subject: LoginSubject, address: string): Promise<number> {
    const [accountKey, addressKey] = this.keys(subject, address);
    const [accountCount, addressCount] = await Promise.all([
      this.store.increment(accountKey, this.options.windowSeconds),
      this.store.increment(addressKey, this.options.windowSeconds),
    ]);
    const blocked: string[] = [];
    if (accountCount > this.options.maxFailuresPerAccount) blocked.push(accountKey);
    if (addressCount > this.options.maxFailuresPerAddress) blocked.push(addressKey);
    if (blocked.length === 0) return 0;
    const [ttls] = await Promise.all([
      Promise.all(blocked.map((key) => this.store.ttl(key))),
      this.store.decrement(accountKey),
      this.store.decrement(addressKey),
    ]);
    return Math.max(1, ...ttls.map((ttl) => ttl ?? this.options.windowSeconds));
  }

  /** The password was right: the account starts afresh, and the address gets its attempt back. */
  async succeeded(subject: LoginSubject, address: string): Promise<void> {
    const [accountKey, addressKey] = this.keys(subject, address);
    await Promise.all([this.store.delete(accountKey), this.store.decrement(addressKey)]);
  }

  /** Forgets the account's failed attempts, as after a password reset proved the owner reads its mail. */
  async clear(accountId: string): Promise<void> {
    const [accountKey] = this.keys({ accountId }, '');
    await this.store.delete(accountKey);
  }
}
