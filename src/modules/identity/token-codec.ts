import { randomUUID } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import { isUuid } from '../../db/schema.js';
import { ExpiringCache } from './expiring-cache.js';

export interface TokenClaims {
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  aud: string | string[];
  [claim: string]: unknown;
}

export interface TokenCodecOptions {
  secret: string;
  algorithm: 'HS256' | 'HS384' | 'HS512';
  audience: string;
  lifetimeSeconds: number;
}

/**
 * Signs and checks one kind of token. Each kind has its own audience, and the verifier accepts only that
 * audience and only the configured algorithm, so no token type passes for another and "alg: none" never works.
 */
export class TokenCodec {
  private readonly sign: (payload: Record<string, unknown>) => string;
  private readonly verifier: (token: string) => TokenClaims;
  /**
   * Verified tokens, by their exact text, until they expire (bounded): a busy client's requests skip the HMAC.
   * Keyed by the token itself rather than fast-jwt's cache, which hashes every token (SHA-256) to look it up,
   * at a cost close to the HMAC it saves.
   */
  private readonly verified = new ExpiringCache<TokenClaims>(0, 10_000);

  constructor(readonly options: TokenCodecOptions) {
    this.sign = createSigner({
      key: options.secret,
      algorithm: options.algorithm,
      aud: options.audience,
      expiresIn: options.lifetimeSeconds * 1000,
    });
    this.verifier = createVerifier({
      key: options.secret,
      algorithms: [options.algorithm],
      allowedAud: options.audience,
      requiredClaims: ['sub', 'jti', 'iat', 'exp', 'aud'],
    }) as (token: string) => TokenClaims;
  }

  issue(subject: string, extraClaims: Record<string, unknown> = {}): { token: string; jti: string } {
    const jti = randomUUID();
    return { token: this.sign({ ...extraClaims, sub: subject, jti, iat_ms: Date.now() }), jti };
  }

  /**
   * A token with a given issue time and id: the same inputs sign the same token, so a refresh answered twice
   * (see SessionsService) gives the same access token both times.
   */
  issueAt(subject: string, issuedAtMs: number, claims: { jti: string; [claim: string]: unknown }): { token: string; jti: string } {
    return { token: this.sign({ ...claims, sub: subject, iat: Math.floor(issuedAtMs / 1000), iat_ms: issuedAtMs }), jti: claims.jti };
  }

  /**
   * The claims of a valid token, or null for any token that is malformed, tampered, expired or of another kind.
   * A correctly signed token can still carry claims we never issue (one signed with a leaked or shared key, or
   * by an older version): the claims later code looks up by must have the types it expects, so a strange `sub`
   * is refused here rather than reaching a uuid column as a database error.
   */
  verify(token: string): TokenClaims | null {
    const cached = this.verified.get(token);
    if (cached !== undefined) return cached;
    let claims: TokenClaims;
    try {
      claims = this.verifier(token);
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || !isUuid(claims.sub)) return null;
    if (typeof claims.jti !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return null;
    this.verified.set(token, claims, claims.exp * 1000 - Date.now());
    return claims;
  }
}
