/**
 * The shared, expiring key-value state of Spruce: one-time codes, rate-limit counters and the token revocation
 * list. Redis in production so every API process sees the same state; process memory in the embedded mode.
 * Keys are plain strings; the implementation adds its own prefix so several deployments or test runs can share
 * one Redis.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  /** Sets the value; with ttlSeconds the key expires after that many seconds. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Sets the value only when the key does not exist. Returns whether it was set. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Deletes the key. Returns whether it existed. */
  delete(key: string): Promise<boolean>;
  /**
   * Atomically adds one to an integer counter and returns the new value. The expiry is set when the counter is
   * created and is not extended by later increments, so the counter is a fixed window.
   */
  increment(key: string, windowSeconds: number): Promise<number>;
  /**
   * Atomically takes one back from a counter made by increment (a refund), keeping its expiry. A counter that
   * no longer exists (its window ended) stays absent rather than going negative. Returns the new value, 0 then.
   */
  decrement(key: string): Promise<number>;
  /** Seconds until the key expires; null when it does not exist or has no expiry. */
  ttl(key: string): Promise<number | null>;
  /** Deletes the key only if it still holds exactly this value (atomic). Returns whether it was deleted. */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Whether the store can be reached now (used by /ready). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Tells every API process that cached account or token state changed, so each can drop its local copy at once
 * instead of asking the store on every request. Redis pub/sub in production; an in-process emitter otherwise.
 */
export interface Broadcast {
  publish(channel: string, message: string): Promise<void>;
  /** Returns a function that stops the subscription. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Thrown by a store or broadcast whose backing service cannot be reached; the HTTP layer answers 503. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message = 'The key-value store is unavailable', options?: { cause?: unknown }) {
    super(message, options);
  }
}
