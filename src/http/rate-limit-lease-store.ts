import type { RouteOptions } from 'fastify';
import type { Redis } from 'ioredis';

/** What @fastify/rate-limit expects of a store's `incr`: the count so far in this window, and the ms it has left. */
interface Count {
  current: number;
  ttl: number;
}
export type CountCallback = (error: Error | null, count?: Count) => void;

/** A store as the global limit's hook uses it: the plugin's LocalStore or the leasing store below. */
export interface CountingStore {
  incr(key: string, callback: CountCallback, timeWindow: number, max: number): void;
}

/** One address's block of counts taken from Redis: `next` is the count the next request gets, up to `last`. */
interface Lease {
  next: number;
  last: number;
  expiresAt: number;
}

/**
 * Takes `ARGV[1]` counts at once from the window's counter, starting the window (its expiry) when the counter is
 * new, as @fastify/rate-limit's own script does for one count. Returns the counter after the increment and the
 * window's time left.
 */
const leaseScript = `
  local total = redis.call('INCRBY', KEYS[1], ARGV[1])
  local ttl
  if total == tonumber(ARGV[1]) then
    ttl = tonumber(ARGV[2])
    redis.call('PEXPIRE', KEYS[1], ttl)
  else
    ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then
      ttl = tonumber(ARGV[2])
      redis.call('PEXPIRE', KEYS[1], ttl)
    end
  end
  return {total, ttl}
`;

/** Addresses whose lease a process keeps at once; beyond that the oldest is dropped (its unused counts are lost). */
const maxLeases = 10_000;

/**
 * How many counts one round trip takes for a limit of `max`: a hundredth of it, so that a limit of up to 199 a
 * window is counted exactly, one request at a time, and the global default (1,000 a minute) costs one round trip
 * every ten requests of an address.
 */
export function leaseSize(max: number): number {
  return Math.max(1, Math.min(100, Math.floor(max / 100)));
}

type RedisWithLease = Redis & { spruceRateLimitLease(key: string, count: number, windowMs: number, callback: (error: Error | null, result: [number, number]) => void): void };

/**
 * A @fastify/rate-limit store for the global per-address limit shared through Redis that does not ask Redis on
 * every request. Each process takes a block of counts for an address from the shared counter (INCRBY, atomic)
 * and hands them out locally until they run out or the window ends; then it takes another.
 *
 * Every count is taken from the shared counter before a request uses it, so all processes together never let an
 * address through more than `max` times a window. The price is the other way: counts a process took but did not
 * use before the window ended were still counted, so an address spread over P processes may be limited up to
 * (lease − 1) × P requests early. This is the global flood limit only; the limits on guessing (log-ins, codes)
 * are separate and exact. Once a window's counts are spent, the address is refused locally until the window
 * ends, without asking Redis again.
 *
 * Before: one Redis round trip (a Lua script) per request, about a quarter of a PostgreSQL `GET /todos`'s CPU
 * (docs/benchmarks.md).
 */
export function leasingRedisStore(redis: Redis, nameSpace: string) {
  const client = redis as RedisWithLease;
  if (typeof client.spruceRateLimitLease !== 'function') client.defineCommand('spruceRateLimitLease', { numberOfKeys: 1, lua: leaseScript });

  return class LeasingRedisStore {
    private readonly leases = new Map<string, Lease>();
    /** Requests waiting for a lease already being taken for their address: one round trip serves them all. */
    private readonly waiting = new Map<string, { max: number; callback: CountCallback }[]>();

    constructor(
      params: { continueExceeding?: boolean; exponentialBackoff?: boolean } = {},
      private readonly prefix = nameSpace,
    ) {
      // Both change the window on every refused request, which counts taken in advance cannot follow.
      if (params.continueExceeding || params.exponentialBackoff) throw new Error('the leasing rate-limit store supports neither continueExceeding nor exponentialBackoff');
    }

    incr(key: string, callback: CountCallback, timeWindow: number, max: number): void {
      const now = Date.now();
      const lease = this.leases.get(key);
      if (lease !== undefined && lease.expiresAt > now && (lease.next <= lease.last || lease.last > max)) {
        // A count from the block, or (the window's counts being spent) a refusal without asking Redis.
        callback(null, { current: lease.next++, ttl: lease.expiresAt - now });
        return;
      }
      const queue = this.waiting.get(key);
      if (queue !== undefined) {
        queue.push({ max, callback });
        return;
      }
      this.waiting.set(key, [{ max, callback }]);
      this.take(key, timeWindow, max);
    }

    /**
     * For a route's own limit (none today): its own counters, counted the same way, keyed as the plugin's Redis
     * store keys them. The plugin passes its merged route settings with `routeInfo`; its typings say RouteOptions.
     */
    child(routeOptions: RouteOptions & { path: string; prefix: string }) {
      const settings = routeOptions as unknown as { routeInfo: { method: string; url: string }; continueExceeding?: boolean; exponentialBackoff?: boolean };
      return new LeasingRedisStore(settings, `${this.prefix}${settings.routeInfo.method}${settings.routeInfo.url}-`);
    }

    private take(key: string, timeWindow: number, max: number): void {
      const size = leaseSize(max);
      client.spruceRateLimitLease(this.prefix + key, size, timeWindow, (error, result) => {
        const queue = this.waiting.get(key) ?? [];
        this.waiting.delete(key);
        if (error !== null) {
          for (const { callback } of queue) callback(error);
          return;
        }
        const [total, ttl] = result;
        const lease: Lease = { next: total - size + 1, last: total, expiresAt: Date.now() + ttl };
        this.remember(key, lease);
        // The waiters in order; those the block cannot serve (and the limit does not refuse) take another.
        let index = 0;
        for (; index < queue.length; index++) {
          const waiter = queue[index]!;
          if (lease.next > lease.last && lease.last <= waiter.max) break;
          waiter.callback(null, { current: lease.next++, ttl });
        }
        if (index < queue.length) {
          const rest = queue.slice(index);
          this.waiting.set(key, rest);
          this.take(key, timeWindow, rest[0]!.max);
        }
      });
    }

    private remember(key: string, lease: Lease): void {
      this.leases.delete(key);
      if (this.leases.size >= maxLeases) this.leases.delete(this.leases.keys().next().value as string);
      this.leases.set(key, lease);
    }
  };
}
