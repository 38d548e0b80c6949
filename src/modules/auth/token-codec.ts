import { randomUUID } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import { isUuid } from '../../db/schema.js';

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
      // Verified tokens are cached (bounded, and never past their own expiry): a busy client's requests skip the HMAC.
      cache: 10_000,
    }) as (token: string) => TokenClaims;
  }

  issue(subject: string, extraClaims: Record<string, unknown> = {}): { token: string; jti: string } {
    const jti = randomUUID();
    return { token: this.sign({ ...extraClaims, sub: subject, jti, iat_ms: Date.now() }), jti };
  }

  /**
   * The claims of a valid token, or null for any token that is malformed, tampered, expired or of another kind.
   * A correctly signed token can still carry claims we never issue (one signed with a leaked or shared key, or
   * by an older version): the claims later code looks up by must have the types it expects, so a strange `sub`
   * is refused here rather than reaching a uuid column as a database error.
   */
  verify(token: string): TokenClaims | null {
    let claims: TokenClaims;
    try {
      claims = this.verifier(token);
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || !isUuid(claims.sub)) return null;
    if (typeof claims.jti !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return null;
    return claims;
  }
}
