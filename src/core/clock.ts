/**
 * Where services read the time. Production uses the system clock; tests pass a clock they move by hand, so
 * expiry (sessions idle for two weeks, say) is tested without waiting.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
