import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { TokenCodec } from '../auth/token-codec.js';

export const verifyTokenAudience = 'spruce:verify';
export const resetTokenAudience = 'spruce:reset';
export const emailChangeTokenAudience = 'spruce:email-change';

export interface AccountTokensOptions {
  secret: string;
  algorithm: 'HS256' | 'HS384' | 'HS512';
  verifyLifetimeSeconds: number;
  resetLifetimeSeconds: number;
  emailChangeLifetimeSeconds: number;
}

/** What an email-change token names: the account, the address it moves from and to, and its own id. */
export interface EmailChangeClaims {
  userId: string;
  from: string | null;
  to: string;
  fingerprint: string;
  jti: string;
}

/** An account a token is made for: only what the token binds to. */
interface TokenSubject {
  id: string;
  email: string | null;
  hashedPassword: string;
}

/**
 * The single-purpose tokens mailed to people: email verification, password reset and email change. Each is a
 * JWT with its own audience and lifetime, so none passes for an access token nor for another. A verify token
 * names the email it verifies; a reset token carries a fingerprint of the password hash it may replace, so it
 * works once and dies as soon as the password changes, without any server-side list of issued tokens. An
 * email-change token names the address it moves from and to and carries the same fingerprint, so a password
 * change (the owner's answer to an unexpected change notice) cancels it too.
 */
export class AccountTokens {
  private readonly verifyCodec: TokenCodec;
  private readonly resetCodec: TokenCodec;
  private readonly emailChangeCodec: TokenCodec;

  constructor(private readonly options: AccountTokensOptions) {
    const common = { secret: options.secret, algorithm: options.algorithm };
    this.verifyCodec = new TokenCodec({ ...common, audience: verifyTokenAudience, lifetimeSeconds: options.verifyLifetimeSeconds });
    this.resetCodec = new TokenCodec({ ...common, audience: resetTokenAudience, lifetimeSeconds: options.resetLifetimeSeconds });
    this.emailChangeCodec = new TokenCodec({ ...common, audience: emailChangeTokenAudience, lifetimeSeconds: options.emailChangeLifetimeSeconds });
  }

  issueEmailChangeToken(user: TokenSubject, to: string): { token: string; jti: string } {
    return this.emailChangeCodec.issue(user.id, { from: user.email, to, pwd: this.fingerprint(user.hashedPassword) });
  }

  /** What a live email-change token asks for, or null for anything else. */
  readEmailChangeToken(token: string): EmailChangeClaims | null {
    const claims = this.emailChangeCodec.verify(token);
    if (claims === null || typeof claims.to !== 'string' || typeof claims.pwd !== 'string') return null;
    if (claims.from !== null && typeof claims.from !== 'string') return null;
    return { userId: claims.sub, from: claims.from, to: claims.to, fingerprint: claims.pwd, jti: claims.jti };
  }

  issueVerifyToken(user: Pick<TokenSubject, 'id' | 'email'>): string {
    return this.verifyCodec.issue(user.id, { email: user.email }).token;
  }

  /** The account and email a verify token is for, or null for anything that is not a live verify token. */
  readVerifyToken(token: string): { userId: string; email: string } | null {
    const claims = this.verifyCodec.verify(token);
    if (claims === null || typeof claims.email !== 'string') return null;
    return { userId: claims.sub, email: claims.email };
  }

  issueResetToken(user: Pick<TokenSubject, 'id' | 'hashedPassword'>): string {
    return this.resetCodec.issue(user.id, { pwd: this.fingerprint(user.hashedPassword) }).token;
  }

  /** The account a reset token is for and the fingerprint it carries, or null for anything else. */
  readResetToken(token: string): { userId: string; fingerprint: string } | null {
    const claims = this.resetCodec.verify(token);
    if (claims === null || typeof claims.pwd !== 'string') return null;
    return { userId: claims.sub, fingerprint: claims.pwd };
  }

  /** Whether the fingerprint was taken from this password hash; constant time, so it leaks nothing by timing. */
  fingerprintMatches(fingerprint: string, hashedPassword: string): boolean {
    const expected = Buffer.from(this.fingerprint(hashedPassword));
    const given = Buffer.from(fingerprint);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Spends the time of issuing a real token and throws the result away: the answer for an unknown email must not
   * come back measurably faster than the one for a known email.
   */
  issueDecoy(kind: 'verify' | 'reset'): void {
    const decoy = { id: randomUUID(), email: 'decoy@spruce.invalid', hashedPassword: randomUUID() };
    if (kind === 'verify') this.issueVerifyToken(decoy);
    else this.issueResetToken(decoy);
  }

  /** HMAC of the hash (never the hash itself, which must not leave the server), truncated to 128 bits. */
  private fingerprint(hashedPassword: string): string {
    return createHmac('sha256', this.options.secret).update(`reset-token:${hashedPassword}`).digest('base64url').slice(0, 22);
  }
}
