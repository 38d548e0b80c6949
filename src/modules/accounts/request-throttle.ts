import { createHash } from 'node:crypto';
import { tooManyRequests } from '../../http/errors.js';
import type { KeyValueStore } from '../../infra/store/key-value-store.js';

/** Requests allowed per window for each kind of subject; a subject without a limit is not counted. */
export interface RequestThrottleOptions {
  /** Per client address. */
  maxPerAddress?: number;
  /** Per email address the request is about. */
  maxPerEmail?: number;
  /** Per account making the request. */
  maxPerAccount?: number;
  windowSeconds: number;
}

/** Who a request counts against: the client address, the email it is about, the account making it. */
export interface ThrottleSubjects {
  address?: string;
  email?: string;
  account?: string;
}

/**
 * Counts requests to one account action (send a reset email, try a verify token, sign up…) per client address,
 * per email and per account, in the shared store so the limit holds across every API process. Every request
 * counts, found or not: the limit reveals nothing about which emails exist. Counted atomically before the work,
 * so parallel requests cannot slip past it.
 */
export class RequestThrottle {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: RequestThrottleOptions,
  ) {}

  /** Counts one request, or throws 429 with Retry-After once any of its subjects is over its limit. */
  async hit(action: string, who: ThrottleSubjects): Promise<void> {
    const counters: [string, number][] = [];
    const { maxPerAddress, maxPerEmail, maxPerAccount } = this.options;
    if (who.address !== undefined && maxPerAddress !== undefined) counters.push([`throttle:${action}:address:${who.address}`, maxPerAddress]);
    if (who.email !== undefined && maxPerEmail !== undefined) {
      // Emails are hashed so the store holds no address book.
      const emailKey = createHash('sha256').update(who.email.toLowerCase()).digest('hex').slice(0, 32);
      counters.push([`throttle:${action}:email:${emailKey}`, maxPerEmail]);
    }
    if (who.account !== undefined && maxPerAccount !== undefined) counters.push([`throttle:${action}:account:${who.account}`, maxPerAccount]);
    const counts = await Promise.all(counters.map(([key]) => this.store.increment(key, this.options.windowSeconds)));
    const over = counters.filter(([, limit], index) => (counts[index] ?? 0) > limit).map(([key]) => key);
    if (over.length === 0) return;
    const ttls = await Promise.all(over.map((key) => this.store.ttl(key)));
    throw tooManyRequests(Math.max(1, ...ttls.map((ttl) => ttl ?? this.options.windowSeconds)), 'Too many requests. Try again later.');
  }
}
