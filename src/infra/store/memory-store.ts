import { type Logger, silentLogger } from '../logger.js';
import type { Broadcast, KeyValueStore } from './key-value-store.js';

interface Entry {
  value: string;
  /** Epoch milliseconds, or null for a key that never expires. */
  expiresAt: number | null;
}

/**
 * The embedded store: one process's memory. Right for a single process only; with REDIS_URL set, Spruce uses
 * the Redis store so that every process shares the same state.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Expired keys are dropped lazily on read; the sweep only bounds memory for keys nobody reads again.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlSeconds: number | undefined): number | null {
    return ttlSeconds === undefined ? null : this.now() + ttlSeconds * 1000;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.expiry(ttlSeconds) });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(key) !== undefined) return false;
    this.entries.set(key, { value, expiresAt: this.expiry(ttlSeconds) });
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const entry = this.live(key);
    if (entry === undefined) {
      this.entries.set(key, { value: '1', expiresAt: this.expiry(windowSeconds) });
      return 1;
    }
    const next = Number.parseInt(entry.value, 10) + 1;
    entry.value = String(next);
    // As in the Redis store: a counter that has no expiry (say, one written by set) gets the window.
    entry.expiresAt ??= this.expiry(windowSeconds);
    return next;
  }

  async decrement(key: string): Promise<number> {
    const entry = this.live(key);
    if (entry === undefined) return 0;
    const next = Number.parseInt(entry.value, 10) - 1;
    entry.value = String(next);
    return next;
  }

  async ttl(key: string): Promise<number | null> {
    const entry = this.live(key);
    if (entry === undefined || entry.expiresAt === null) return null;
    return Math.max(0, Math.ceil((entry.expiresAt - this.now()) / 1000));
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    const entry = this.live(key);
    if (entry === undefined || entry.value !== expected) return false;
    this.entries.delete(key);
    return true;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}

/**
 * Handlers run synchronously inside publish. A throwing handler is logged and does not stop the others, as
 * with Redis. (A Map rather than an EventEmitter: an emitter treats a channel named "error" specially.)
 */
export class MemoryBroadcast implements Broadcast {
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  constructor(private readonly logger: Pick<Logger, 'error'> = silentLogger) {}

  async publish(channel: string, message: string): Promise<void> {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(message);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'Broadcast handler failed');
      }
    }
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    let channelHandlers = this.handlers.get(channel);
    if (channelHandlers === undefined) {
      channelHandlers = new Set();
      this.handlers.set(channel, channelHandlers);
    }
    // A Set would merge two subscriptions of one function; a wrapper keeps each subscription separate.
    const subscription = (message: string) => handler(message);
    channelHandlers.add(subscription);
    return async () => {
      channelHandlers.delete(subscription);
      if (channelHandlers.size > 0 || this.handlers.get(channel) !== channelHandlers) return;
      this.handlers.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
