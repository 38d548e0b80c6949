import { createHash } from 'node:crypto';
import { tooManyRequests } from '../../http/errors.js';
import type { KeyValueStore } from '../../infra/store/key-value-store.js';

export interface RequestThrottleOptions {
  maxPerAddress: number;
  maxPerEmail: number;
  windowSeconds: number;
}

/**
 * Counts requests to one account action (send a reset email, try a verify token…) per client address and per
 * email, in the shared store so the limit holds across every API process. Every request counts, found or not:
 * the limit reveals nothing about which emails exist. Limits are generous; they stop floods, not people.
 */
export class RequestThrottle {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: RequestThrottleOptions,
  ) {}

  /** Counts one request, or throws 429 with Retry-After once the address or the email is over its limit. */
  async hit(action: string, who: { address: string; email?: string }): Promise<void> {
    const counters: [string, number][] = [[`throttle:${action}:address:${who.address}`, this.options.maxPerAddress]];
    if (who.email !== undefined) {
      // Emails are hashed so the store holds no address book.
      const emailKey = createHash('sha256').update(who.email.toLowerCase()).digest('hex').slice(0, 32);
      counters.push([`throttle:${action}:email:${emailKey}`, this.options.maxPerEmail]);
    }
    const counts = await Promise.all(counters.map(([key]) => this.store.increment(key, this.options.windowSeconds)));
    const over = counters.filter(([, limit], index) => (counts[index] ?? 0) > limit).map(([key]) => key);
    if (over.length === 0) return;
    const ttls = await Promise.all(over.map((key) => this.store.ttl(key)));
    throw tooManyRequests(Math.max(1, ...ttls.map((ttl) => ttl ?? this.options.windowSeconds)), 'Too many requests. Try again later.');
  }
}
