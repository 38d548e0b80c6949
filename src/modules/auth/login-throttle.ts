import type { KeyValueStore } from '../../infra/store/key-value-store.js';

export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Counts failed log-ins per account name and per client address in the shared store, so the limit holds across
 * every API process. Unknown account names are counted like real ones: the throttle reveals nothing either.
 */
export class LoginThrottle {
  constructor(
    private readonly store: KeyValueStore,
    private readonly options: LoginThrottleOptions,
  ) {}

  private keys(account: string, address: string): [string, string] {
    return [`login-failures:account:${account.trim().toLowerCase()}`, `login-failures:address:${address}`];
  }

  /** Seconds until log-in may be tried again, or 0 when it may be tried now. */
  async retryAfter(account: string, address: string): Promise<number> {
    const [accountKey, addressKey] = this.keys(account, address);
    const [accountFailures, addressFailures] = await Promise.all([this.store.get(accountKey), this.store.get(addressKey)]);
    const blocked: string[] = [];
    if (Number(accountFailures ?? 0) >= this.options.maxFailuresPerAccount) blocked.push(accountKey);
    if (Number(addressFailures ?? 0) >= this.options.maxFailuresPerAddress) blocked.push(addressKey);
    if (blocked.length === 0) return 0;
    const ttls = await Promise.all(blocked.map((key) => this.store.ttl(key)));
    return Math.max(1, ...ttls.map((ttl) => ttl ?? this.options.windowSeconds));
  }

  async recordFailure(account: string, address: string): Promise<void> {
    const [accountKey, addressKey] = this.keys(account, address);
    await Promise.all([
      this.store.increment(accountKey, this.options.windowSeconds),
      this.store.increment(addressKey, this.options.windowSeconds),
    ]);
  }

  /** A successful log-in clears the account's count (not the address's: one right password proves little there). */
  async recordSuccess(account: string, address: string): Promise<void> {
    const [accountKey] = this.keys(account, address);
    await this.store.delete(accountKey);
  }
}
