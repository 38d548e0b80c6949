import type { Static } from 'typebox';
import { RequestRefusedError, NotAuthenticatedError, SecondFactorRequiredError } from '../../core/errors.js';
import type { RequestContext } from '../../core/request-context.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Authenticator } from './authenticator.js';
import type { SessionsService, TokenPair } from './sessions.service.js';
import type { TokenClaims } from './token-codec.js';
import type { User, UsersRepository } from './users.repository.js';
import { toPublicUser, type Registration, type UsersService } from './users.service.js';
import type { PublicUser } from './users.schemas.js';
import type { AccountTokens } from './account-tokens.js';
import type { AccountUpdater } from './account-updater.js';
import type { ConfirmingCaller, EmailChanges } from './email-change.js';
import { AccountErrorCode } from './error-codes.js';
import type { RequestThrottle } from './request-throttle.js';
import type { SecondFactorService, StepUpProof } from './second-factor.service.js';

export interface AccountsServiceDeps {
  users: UsersService;
  repository: UsersRepository;
  tokens: AccountTokens;
  authenticator: Authenticator;
  throttle: RequestThrottle;
  updater: AccountUpdater;
  sessions: SessionsService;
  audit: AuditLog;
  emailChanges: EmailChanges;
  secondFactor: SecondFactorService;
}

export interface OwnChanges {
  name?: string;
  email?: string;
  password?: string;
  currentPassword?: string;
  /** A TOTP or recovery code: with TOTP on, a new password or email needs one too. */
  code?: string;
  loginNotices?: boolean;
}

const badRequest = (detail: unknown) => new RequestRefusedError(detail);

type UserRead = Static<typeof PublicUser>;

/**
 * What a person does with their own account on the /api routes: register, log in and out, verify the email,
 * reset a forgotten password, change or delete the account. FastAPI Users' UserManager is the model; the rules
 * for changing an account live in AccountUpdater, shared with the superusers' routes.
 */
export class AccountsService {
  constructor(private readonly deps: AccountsServiceDeps) {}

  /** Registers the account and mails the first verification token (the 'verification-requested' event). */
  async register(registration: Registration, address: string, context: RequestContext | null): Promise<UserRead> {
    await this.deps.users.assertSignUpAllowed(address);
    const user = await this.deps.users.register(registration, context);
    await this.requestVerificationOf(user);
    return toPublicUser(user);
  }

  /** The OAuth2 password flow: the username may be the email or the name. */
  async logIn(
    attempt: { identifier: string; password: string; address: string; userAgent?: string | undefined; refreshCookie?: boolean },
    context: RequestContext | null,
  ): Promise<TokenPair> {
    const outcome = await this.deps.users.logIn({ ...attempt, allowEmail: true }, context);
    if (outcome.ok) return outcome.pair;
    if (outcome.reason === 'mfa-required') throw new SecondFactorRequiredError(outcome.mfaToken);
    throw badRequest(outcome.reason === 'not-verified' ? AccountErrorCode.LOGIN_USER_NOT_VERIFIED : AccountErrorCode.LOGIN_BAD_CREDENTIALS);
  }

  /** The token's session ends (its refresh token and every access token), and this token is refused everywhere. */
  async logOut(claims: TokenClaims, context: RequestContext | null): Promise<void> {
    if (typeof claims.sid === 'string') await this.deps.sessions.logOut(claims.sid, context);
    await this.deps.authenticator.revoke(claims);
  }

  /**
   * Mails a verify token when the email belongs to an active, unverified account; the caller hears the same 202
   * either way, after the same work (a token is signed and thrown away for an unknown email, and the mail is
   * queued without waiting for it).
   */
  async requestVerifyToken(email: string, address: string): Promise<void> {
    await this.deps.throttle.hit('request-verify-token', { address, email });
    const user = await this.deps.repository.findByEmail(email);
    if (user === null || !user.isActive || user.isVerified) {
      this.deps.tokens.issueDecoy('verify');
      return;
    }
    const token = this.deps.tokens.issueVerifyToken(user);
    void this.deps.users.emit({ type: 'verification-requested', user, token });
  }

  async verify(token: string, address: string, context: RequestContext | null): Promise<UserRead> {
    await this.deps.throttle.hit('verify', { address });
    const claims = this.deps.tokens.readVerifyToken(token);
    const user = claims === null ? null : await this.deps.repository.findById(claims.userId);
    // A token made for an earlier email must not verify the one the account has now.
    if (claims === null || user === null || user.email !== claims.email) throw badRequest(AccountErrorCode.VERIFY_USER_BAD_TOKEN);
    if (user.isVerified) throw badRequest(AccountErrorCode.VERIFY_USER_ALREADY_VERIFIED);
    const verified = await this.deps.repository.transaction(async (trx) => {
      const result = await this.deps.repository.update(user.id, { is_verified: true }, { trx });
      if (result !== null) await this.deps.audit.record('user.verified', { subjectId: user.id }, context, trx);
      return result;
    });
    if (verified === null) throw badRequest(AccountErrorCode.VERIFY_USER_BAD_TOKEN); // deleted in the meantime
    await this.deps.authenticator.accountChanged(user.id);
    await this.deps.users.emit({ type: 'verified', user: verified });
    return toPublicUser(verified);
  }

  /** Mails a reset token to an active account; the same 202 after the same work otherwise (see requestVerifyToken). */
  async forgotPassword(email: string, address: string): Promise<void> {
    await this.deps.throttle.hit('forgot-password', { address, email });
    const user = await this.deps.repository.findByEmail(email);
    if (user === null || !user.isActive) {
      this.deps.tokens.issueDecoy('reset');
      return;
    }
    const token = this.deps.tokens.issueResetToken(user);
    void this.deps.users.emit({ type: 'forgot-password', user, token });
  }

  async resetPassword(token: string, password: string, address: string, context: RequestContext | null): Promise<User> {
    await this.deps.throttle.hit('reset-password', { address });
    const claims = this.deps.tokens.readResetToken(token);
    const user = claims === null ? null : await this.deps.repository.findById(claims.userId);
    if (claims === null || user === null || !user.isActive || !this.deps.tokens.fingerprintMatches(claims.fingerprint, user.hashedPassword)) {
      throw badRequest(AccountErrorCode.RESET_PASSWORD_BAD_TOKEN);
    }
    const problems = await this.deps.users.passwordProblems(password, { username: user.username, email: user.email });
    if (problems.length > 0) throw badRequest({ code: AccountErrorCode.RESET_PASSWORD_INVALID_PASSWORD, reason: problems.join('; ') });
    // Compare-and-set on the old hash: of two requests racing with one token, only one changes the password.
    const updated = await this.deps.updater.setPassword(user, password, context, { ifHashedPassword: user.hashedPassword });
    if (updated === null) throw badRequest(AccountErrorCode.RESET_PASSWORD_BAD_TOKEN);
    await this.deps.users.clearLoginThrottle(user.id);
    // The second factor stays on: the next log-in still asks for a code (a mailbox alone never opens the account).
    await this.deps.users.emit({ type: 'password-reset', user: updated });
    await this.deps.users.notify(updated, 'password-reset', context);
    return updated;
  }

  async me(userId: string): Promise<UserRead> {
    return toPublicUser(await this.account(userId));
  }

  /**
   * Name changes freely. The password and the email need the current password, checked like a log-in (and
   * throttled). A new email is only asked for here: it replaces the old one once confirmed from its mailbox
   * (confirmEmailChange), so the response still shows the account's current email.
   */
  async updateOwn(userId: string, changes: OwnChanges, address: string, context: RequestContext | null, currentSessionId: string | null = null): Promise<UserRead> {
    const user = await this.account(userId);
    const email = changes.email?.toLowerCase();
    const newEmail = email !== undefined && email !== user.email ? email : undefined;
    if (changes.password !== undefined || newEmail !== undefined) {
      const proof = { currentPassword: changes.currentPassword, code: changes.code };
      await this.deps.secondFactor.assertStepUp(user, proof, address, AccountErrorCode.UPDATE_USER_INVALID_CURRENT_PASSWORD, context);
    }
    // Refused before anything is written, so a refused email never leaves half of a request applied.
    if (newEmail !== undefined) await this.deps.emailChanges.assertCanRequest(user, newEmail);
    const { name, password, loginNotices } = changes;
    const updated = await this.deps.updater.update(user, { name, password, loginNotices, currentSessionId }, context);
    // After a password change, so the confirmation is bound to the new password.
    if (newEmail !== undefined) await this.deps.emailChanges.request(updated, newEmail, context);
    return toPublicUser(updated);
  }

  /** The new address confirmed from its mailbox: it replaces the old one, and every older token stops working. */
  async confirmEmailChange(token: string, address: string, context: RequestContext | null, caller: ConfirmingCaller | null = null): Promise<UserRead> {
    await this.deps.throttle.hit('confirm-email', { address });
    return toPublicUser(await this.deps.emailChanges.confirm(token, context, caller));
  }

  async deleteOwn(userId: string, proof: StepUpProof, address: string, context: RequestContext | null): Promise<void> {
    const user = await this.account(userId);
    await this.deps.secondFactor.assertStepUp(user, proof, address, AccountErrorCode.DELETE_USER_INVALID_CURRENT_PASSWORD, context);
    await this.deps.updater.delete(user, context);
  }

  /** The caller's account; gone since the token was issued means the token no longer names anyone. */
  private async account(userId: string): Promise<User> {
    return (await this.deps.repository.findById(userId)) ?? Promise.reject(new NotAuthenticatedError());
  }

  private async requestVerificationOf(user: User): Promise<void> {
    if (user.isVerified || user.email === null) return;
    await this.deps.users.emit({ type: 'verification-requested', user, token: this.deps.tokens.issueVerifyToken(user) });
  }
}
