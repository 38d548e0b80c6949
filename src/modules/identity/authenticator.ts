import { systemClock, type Clock } from '../../core/clock.js';
import type { Principal } from '../../core/principal.js';
import type { Logger } from '../../infra/logger.js';
import { StoreUnavailableError, type Broadcast, type KeyValueStore } from '../../infra/store/key-value-store.js';
import { ExpiringCache } from './expiring-cache.js';
import type { TokenClaims, TokenCodec } from './token-codec.js';


export interface PrincipalSource {
  findPrincipal(userId: string): Promise<Principal | null>;
}

/** When a session's access tokens stop being honoured (epoch ms; 0 once ended or unknown). */
export type SessionLiveness = (sessionId: string) => Promise<number>;

export interface Authenticated {
  principal: Principal;
  claims: TokenClaims;
}

/**
 * JWT's `iat` has whole seconds; a token issued in the same second as a password change must still be told
 * apart, so tokens also carry the issue time in milliseconds.
 */
export function issuedAtMs(claims: TokenClaims): number {
  return typeof claims.iat_ms === 'number' ? claims.iat_ms : claims.iat * 1000;
}

/** The account's side of a token that checked out: active, and the token issued after its last credential change. */
function honoured(principal: Principal | null, claims: TokenClaims): Authenticated | null {
  if (principal === null || !principal.isActive) return null;
  if (principal.tokensValidAfter !== null && issuedAtMs(claims) < principal.tokensValidAfter) return null;
  return { principal, claims };
}

const accountChannel = 'auth:account-changed';
const revokedChannel = 'auth:token-revoked';
const sessionEndedChannel = 'auth:session-ended';
const subscribeRetryMs = 5000;

/**
 * Turns a bearer token into a principal on every request without a network round trip in the common case:
 * account state and "this token is not revoked" are cached in the process for a short time, and every process
 * drops its copy the moment a broadcast says an account changed or a token was revoked. The cache time bounds
 * how stale a process can be if it misses a broadcast (for example while Redis restarts).
 */
export class Authenticator {
  private readonly principals: ExpiringCache<Principal | null>;
  private readonly revocations: ExpiringCache<boolean>;
  private readonly sessions: ExpiringCache<number>;
  private sessionLiveness: SessionLiveness = async () => 0;
  private readonly unsubscribers: (() => Promise<void>)[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly accessTokens: TokenCodec,
    private readonly source: PrincipalSource,
    private readonly store: KeyValueStore,
    private readonly broadcast: Broadcast,
    cacheSeconds: number,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly clock: Clock = systemClock,
  ) {
    this.principals = new ExpiringCache(cacheSeconds * 1000);
    this.revocations = new ExpiringCache(cacheSeconds * 1000);
    this.sessions = new ExpiringCache(cacheSeconds * 1000);
  }

  /** Where session state is read on a cache miss (the sessions service, built after the authenticator). */
  useSessions(liveness: SessionLiveness): void {
    this.sessionLiveness = liveness;
  }

  /**
   * Subscribes to the broadcasts. With the shared store down at start the API still starts: the subscriptions
   * are retried in the background, and until then the cache time bounds how stale this process can be.
   */
  async start(): Promise<void> {
    this.stopped = false;
    await this.subscribe(accountChannel, (userId) => this.principals.delete(userId));
    await this.subscribe(revokedChannel, (message) => {
      const { jti, exp } = JSON.parse(message) as { jti: string; exp: number };
      this.revocations.set(jti, true, exp * 1000 - Date.now());
    });
    await this.subscribe(sessionEndedChannel, (message) => {
      for (const sessionId of message.split(',')) this.sessions.set(sessionId, 0);
    });
  }

  private async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    try {
      const unsubscribe = await this.broadcast.subscribe(channel, handler);
      // A background retry may succeed after stop(): undo it at once rather than keep a dangling subscription.
      if (this.stopped) await unsubscribe();
      else this.unsubscribers.push(unsubscribe);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (this.stopped) return;
      this.log.warn({ channel }, 'broadcast unavailable; subscribing again in the background');
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.subscribe(channel, handler).catch((retryError: unknown) =>
          this.log.warn({ err: retryError, channel }, 'broadcast subscription failed'),
        );
      }, subscribeRetryMs);
      timer.unref();
      this.retryTimers.add(timer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.all(this.unsubscribers.splice(0).map((unsubscribe) => unsubscribe()));
  }

  /**
   * The caller behind a token, or null for any token that must not be honoured. Each step asks its cache first,
   * then the store or the database; authenticateFromCache gives the same answer without a promise when every
   * cache knows it.
   */
  async authenticate(token: string): Promise<Authenticated | null> {
    const claims = this.accessTokens.verify(token);
    if (claims === null) return null;
    if (await this.isRevoked(claims)) return null;
    if (typeof claims.sid === 'string' && !(await this.isSessionLive(claims.sid))) return null;
    return honoured(await this.principal(claims.sub), claims);
  }

  /**
   * authenticate's answer from this process's caches alone, without a promise: what nearly every request with a
   * token in use gets. Undefined when a cache has no answer and the store or the database must be asked.
   */
  authenticateFromCache(token: string): Authenticated | null | undefined {
    const claims = this.accessTokens.verify(token);
    if (claims === null) return null;
    const revoked = this.revocations.get(claims.jti);
    if (revoked !== false) return revoked === true ? null : undefined;
    if (typeof claims.sid === 'string') {
      const liveUntil = this.sessions.get(claims.sid);
      if (liveUntil === undefined) return undefined;
      if (liveUntil <= this.clock.now()) return null;
    }
    const principal = this.principals.get(claims.sub);
    return principal === undefined ? undefined : honoured(principal, claims);
  }

  private async principal(userId: string): Promise<Principal | null> {
    const cached = this.principals.get(userId);
    if (cached !== undefined) return cached;
    const principal = await this.source.findPrincipal(userId);
    this.principals.set(userId, principal);
    return principal;
  }

  private async isRevoked(claims: TokenClaims): Promise<boolean> {
    const cached = this.revocations.get(claims.jti);
    if (cached !== undefined) return cached;
    let revoked: boolean;
    try {
      revoked = (await this.store.get(`revoked-token:${claims.jti}`)) !== null;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      // With the shared store down, refusing every token would take the whole API down with it. Revocations
      // this process already knows (broadcast or cached) still hold; an unknown one is honoured until the store
      // is back, and the answer is not cached so the next request asks again.
      this.log.warn({ jti: claims.jti }, 'revocation list unavailable; token accepted on its signature and account state');
      return false;
    }
    // A revoked token stays revoked until it expires; a live one is re-checked after the cache time.
    this.revocations.set(claims.jti, revoked, revoked ? claims.exp * 1000 - Date.now() : undefined);
    return revoked;
  }

  /**
   * Whether the token's session is live. A local cache answers (no round trip per request); every process
   * learns of an ended session from the broadcast at once, and the cache time bounds a missed one.
   */
  private async isSessionLive(sessionId: string): Promise<boolean> {
    let liveUntil = this.sessions.get(sessionId);
    if (liveUntil === undefined) {
      liveUntil = await this.sessionLiveness(sessionId);
      this.sessions.set(sessionId, liveUntil);
    }
    return liveUntil > this.clock.now();
  }

  /** These sessions ended: every process refuses their access tokens from now on. */
  async sessionsEnded(sessionIds: string[]): Promise<void> {
    for (const sessionId of sessionIds) this.sessions.set(sessionId, 0);
    // Session ids are UUIDs, so a comma separates them safely.
    await this.broadcast.publish(sessionEndedChannel, sessionIds.join(','));
  }

  /** Log out: this token is refused everywhere from now until it would have expired anyway. */
  async revoke(claims: TokenClaims): Promise<void> {
    const ttlSeconds = Math.max(1, claims.exp - Math.floor(Date.now() / 1000));
    await this.store.set(`revoked-token:${claims.jti}`, '1', ttlSeconds);
    this.revocations.set(claims.jti, true, ttlSeconds * 1000);
    await this.broadcast.publish(revokedChannel, JSON.stringify({ jti: claims.jti, exp: claims.exp }));
  }

  /** Call after any change to an account's state (password, flags, deletion) so no process trusts its old copy. */
  async accountChanged(userId: string): Promise<void> {
    this.principals.delete(userId);
    await this.broadcast.publish(accountChannel, userId);
  }
}
