import { HttpError } from '../../http/errors.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { TokenClaims } from '../auth/token-codec.js';
import type { User, UsersRepository } from '../users/users.repository.js';
import type { Registration, UsersService } from '../users/users.service.js';
import type { AccountTokens } from './account-tokens.js';
import type { AccountUpdater } from './account-updater.js';
import { AccountErrorCode } from './error-codes.js';
import type { RequestThrottle } from './request-throttle.js';

export interface AccountsServiceDeps {
  users: UsersService;
  repository: UsersRepository;
  tokens: AccountTokens;
  authenticator: Authenticator;
  throttle: RequestThrottle;
  updater: AccountUpdater;
}

export interface OwnChanges {
  name?: string;
  email?: string;
  password?: string;
  currentPassword?: string;
}

const badRequest = (detail: unknown) => new HttpError(400, detail);

/**
 * What a person does with their own account on the /api routes: register, log in and out, verify the email,
 * reset a forgotten password, change or delete the account. FastAPI Users' UserManager is the model; the rules
 * for changing an account live in AccountUpdater, shared with the superusers' routes.
 */
export class AccountsService {
  constructor(private readonly deps: AccountsServiceDeps) {}

  /** Registers the account and mails the first verification token (the 'verification-requested' event). */
  async register(registration: Registration, address: string): Promise<User> {
    await this.deps.users.assertSignUpAllowed(address);
    const user = await this.deps.users.register(registration);
    await this.requestVerificationOf(user);
    return user;
  }

  /** The OAuth2 password flow: the username may be the email or the name. */
  async logIn(attempt: { identifier: string; password: string; address: string }): Promise<string> {
    const outcome = await this.deps.users.logIn({ ...attempt, allowEmail: true });
    if (outcome.ok) return outcome.token;
    throw badRequest(outcome.reason === 'not-verified' ? AccountErrorCode.LOGIN_USER_NOT_VERIFIED : AccountErrorCode.LOGIN_BAD_CREDENTIALS);
  }

  /** This token is refused by every process from now until it expires. */
  logOut(claims: TokenClaims): Promise<void> {
    return this.deps.authenticator.revoke(claims);
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

  async verify(token: string, address: string): Promise<User> {
    await this.deps.throttle.hit('verify', { address });
    const claims = this.deps.tokens.readVerifyToken(token);
    const user = claims === null ? null : await this.deps.repository.findById(claims.userId);
    // A token made for an earlier email must not verify the one the account has now.
    if (claims === null || user === null || user.email !== claims.email) throw badRequest(AccountErrorCode.VERIFY_USER_BAD_TOKEN);
    if (user.isVerified) throw badRequest(AccountErrorCode.VERIFY_USER_ALREADY_VERIFIED);
    const verified = await this.deps.repository.update(user.id, { is_verified: true });
    if (verified === null) throw badRequest(AccountErrorCode.VERIFY_USER_BAD_TOKEN); // deleted in the meantime
    await this.deps.authenticator.accountChanged(user.id);
    await this.deps.users.emit({ type: 'verified', user: verified });
    return verified;
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

  async resetPassword(token: string, password: string, address: string): Promise<User> {
    await this.deps.throttle.hit('reset-password', { address });
    const claims = this.deps.tokens.readResetToken(token);
    const user = claims === null ? null : await this.deps.repository.findById(claims.userId);
    if (claims === null || user === null || !user.isActive || !this.deps.tokens.fingerprintMatches(claims.fingerprint, user.hashedPassword)) {
      throw badRequest(AccountErrorCode.RESET_PASSWORD_BAD_TOKEN);
    }
    const problems = this.deps.users.passwordProblems(password);
    if (problems.length > 0) throw badRequest({ code: AccountErrorCode.RESET_PASSWORD_INVALID_PASSWORD, reason: problems.join('; ') });
    // Compare-and-set on the old hash: of two requests racing with one token, only one changes the password.
    const updated = await this.deps.updater.setPassword(user, password, { ifHashedPassword: user.hashedPassword });
    if (updated === null) throw badRequest(AccountErrorCode.RESET_PASSWORD_BAD_TOKEN);
    await this.deps.users.clearLoginThrottle(user.id);
    await this.deps.users.emit({ type: 'password-reset', user: updated });
    return updated;
  }

  async me(userId: string): Promise<User> {
    return (await this.deps.repository.findById(userId)) ?? Promise.reject(new HttpError(401, 'Not Authorized'));
  }

  /** Name and email change freely; the password needs the current one, checked like a log-in (and throttled). */
  async updateOwn(userId: string, changes: OwnChanges, address: string): Promise<User> {
    const user = await this.me(userId);
    if (changes.password !== undefined) {
      await this.assertCurrentPassword(user, changes.currentPassword, address, AccountErrorCode.UPDATE_USER_INVALID_CURRENT_PASSWORD);
    }
    const { currentPassword: _currentPassword, ...accountChanges } = changes;
    return this.deps.updater.update(user, accountChanges);
  }

  async deleteOwn(userId: string, currentPassword: string, address: string): Promise<void> {
    const user = await this.me(userId);
    await this.assertCurrentPassword(user, currentPassword, address, AccountErrorCode.DELETE_USER_INVALID_CURRENT_PASSWORD);
    await this.deps.updater.delete(user);
  }

  private async assertCurrentPassword(user: User, currentPassword: string | undefined, address: string, code: AccountErrorCode): Promise<void> {
    if (currentPassword === undefined) {
      throw new HttpError(422, [{ loc: ['body', 'current_password'], msg: 'Field required', type: 'missing' }]);
    }
    const checked = await this.deps.users.checkPassword(user, { identifier: user.username, password: currentPassword, address });
    if (checked === null || checked.id !== user.id) throw badRequest(code);
  }

  private async requestVerificationOf(user: User): Promise<void> {
    if (user.isVerified || user.email === null) return;
    await this.deps.users.emit({ type: 'verification-requested', user, token: this.deps.tokens.issueVerifyToken(user) });
  }
}
