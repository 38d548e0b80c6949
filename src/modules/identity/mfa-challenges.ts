import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { KeyValueStore } from '../../infra/store/key-value-store.js';

export interface MfaChallengeOptions {
  /** How long an mfa_token lives (MFA_TOKEN_TTL_SECONDS, default 5 minutes). */
  lifetimeSeconds: number;
  /** Wrong codes one mfa_token allows; the next try finds it dead (MFA_TOKEN_MAX_ATTEMPTS, default 5). */
  maxTries: number;
}

/** What a log-in that stopped at the second factor remembers, until the code comes. */
export interface MfaChallenge {
  userId: string;
  /** A fingerprint of the password hash the log-in checked: a password change or reset in between kills it. */
  passwordFingerprint: string;
  /** The log-in asked for its refresh token in the cookie. */
  refreshCookie: boolean;
  expiresAt: number;
}

export type ChallengeLookup = { ok: true; challenge: MfaChallenge; key: string; raw: string; tries: number } | { ok: false; reason: 'unknown' | 'expired' | 'too-many-tries' };

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A short fingerprint of a password hash: it changes with the password, and says nothing of it. */
export function passwordFingerprint(hashedPassword: string): string {
  return sha256(hashedPassword).slice(0, 16);
}

/**
 * The half-finished log-ins waiting for a second factor, in the shared store (Redis with REDIS_URL), so a log-in
 * on one API process can be finished on another. The mfa_token is opaque and random; the store keeps only its
 * SHA-256 hash. It lives `lifetimeSeconds` (checked against the app's clock as well as by the store's expiry),
 * works once (taken atomically by the request that finishes the log-in), and is dead after `maxTries` codes: each
 * try is counted before its code is checked, so parallel tries cannot check more. It is never an access token:
 * the authenticator only honours signed JWTs.
 */
export class MfaChallenges {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly options: MfaChallengeOptions,
  ) {}

  async issue(challenge: Omit<MfaChallenge, 'expiresAt'>): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const value: MfaChallenge = { ...challenge, expiresAt: this.clock.now() + this.options.lifetimeSeconds * 1000 };
    await this.store.set(this.key(token), JSON.stringify(value), this.options.lifetimeSeconds);
    return token;
  }

  /** Finds the challenge and counts this try against it; a dead one is deleted. */
  async open(token: string): Promise<ChallengeLookup> {
    const key = this.key(token);
    const raw = await this.store.get(key);
    if (raw === null) return { ok: false, reason: 'unknown' };
    const challenge = JSON.parse(raw) as MfaChallenge;
    if (challenge.expiresAt <= this.clock.now()) {
      await this.store.delete(key);
      return { ok: false, reason: 'expired' };
    }
    const tries = await this.store.increment(`${key}:tries`, this.options.lifetimeSeconds);
    if (tries > this.options.maxTries) {
      await this.store.delete(key);
      return { ok: false, reason: 'too-many-tries' };
    }
    return { ok: true, challenge, key, raw, tries };
  }

  /** After a wrong code: the last allowed try kills the token at once. Returns whether it is dead. */
  async failed(key: string, tries: number): Promise<boolean> {
    if (tries < this.options.maxTries) return false;
    await this.store.delete(key);
    return true;
  }

  /** Takes the challenge for good; false when another request took it first. */
  take(key: string, raw: string): Promise<boolean> {
    return this.store.deleteIfEquals(key, raw);
  }

  private key(token: string): string {
    return `mfa-challenge:${sha256(token)}`;
  }
}
