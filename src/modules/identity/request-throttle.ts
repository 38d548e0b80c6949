import { createHash } from 'node:crypto';
import { ThrottledError } from '../../core/errors.js';
import { StoreUnavailableError, type KeyValueStore } from '../../infra/store/key-value-store.js';

/** Requests allowed per window for each kind of subject; a subject without a limit is not counted. */
export interface RequestThrottleOptions {
  /** Per client address. */
  maxPerAddress?: number;
  /** Per email address the request is about. */
  maxPerEmail?: number;
  /** Per account making the request. */
  maxPerAccount?: number;
  windowSeconds: number;
  /**
   * For a limit that only stops floods: with the store down, requests pass and this is told (logged). Without it
   * the store's error goes to the caller (503), as for limits that stop guessing.
   */
  onStoreUnavailable?: (error: StoreUnavailableError) => void;
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
    const counters = this.counters(action, who);
    let counts: number[];
    try {
      counts = await Promise.all(counters.map(([key]) => this.store.increment(key, this.options.windowSeconds)));
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || this.options.onStoreUnavailable === undefined) throw error;
      this.options.onStoreUnavailable(error);
      return;
    }
    const over = counters.filter(([, limit], index) => (counts[index] ?? 0) > limit).map(([key]) => key);
    if (over.length === 0) return;
    const ttls = await Promise.all(over.map((key) => this.store.ttl(key)));
    throw new ThrottledError(Math.max(1, ...ttls.map((ttl) => ttl ?? this.options.windowSeconds)), 'Too many requests. Try again later.');
  }

  /**
   * Takes back a request counted by hit, for limits that count only failures (wrong second-factor codes): every
   * try is counted before its check, atomically, and a try that turned out right is refunded.
   */
  async refund(action: string, who: ThrottleSubjects): Promise<void> {
    await Promise.all(this.counters(action, who).map(([key]) => this.store.decrement(key)));
  }

  private counters(action: string, who: ThrottleSubjects): [string, number][] {
    const counters: [string, number][] = [];
    const { maxPerAddress, maxPerEmail, maxPerAccount } = this.options;
    if (who.address !== undefined && maxPerAddress !== undefined) counters.push([`throttle:${action}:address:${who.address}`, maxPerAddress]);
    if (who.email !== undefined && maxPerEmail !== undefined) {
      // Emails are hashed so the store holds no address book.
      const emailKey = createHash('sha256').update(who.email.toLowerCase()).digest('hex').slice(0, 32);
      counters.push([`throttle:${action}:email:${emailKey}`, maxPerEmail]);
    }
    if (who.account !== undefined && maxPerAccount !== undefined) counters.push([`throttle:${action}:account:${who.account}`, maxPerAccount]);
    return counters;
  }
}
