import { isUniqueViolation } from '../../db/errors.js';
import type { UserUpdate } from '../../db/schema.js';
import { RequestRefusedError, NotFoundError, DomainError } from '../../core/errors.js';
import type { RequestContext } from '../../core/request-context.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Authenticator } from './authenticator.js';
import type { SessionsService } from './sessions.service.js';
import type { PasswordHasher } from './password-hasher.js';
import type { User, UsersRepository } from './users.repository.js';
import type { UsersService } from './users.service.js';
import type { AccountTokens } from './account-tokens.js';
import { AccountErrorCode } from './error-codes.js';

/** What may change on an account. The flags are only ever passed by the superusers' routes. */
export interface AccountChanges {
  name?: string;
  email?: string;
  password?: string;
  isActive?: boolean;
  isSuperuser?: boolean;
  isVerified?: boolean;
  /** Mail the owner about log-ins from new clients. */
  loginNotices?: boolean;
  /** The session making the change, which a password change leaves running (all others end). */
  currentSessionId?: string | null;
}

export interface AccountUpdaterDeps {
  users: UsersService;
  repository: UsersRepository;
  hasher: PasswordHasher;
  tokens: AccountTokens;
  authenticator: Authenticator;
  sessions: SessionsService;
  audit: AuditLog;
}

export const notFound = (): DomainError => new NotFoundError('Not Found');

/**
 * The rules of changing an account, whoever asks: a new email is unverified until verified again; a new
 * password ends every token issued before it; email and name stay unique; every change reaches every process's
 * cached copy of the account (Authenticator.accountChanged) and the feature hooks ('updated', 'deleted').
 */
export class AccountUpdater {
  constructor(private readonly deps: AccountUpdaterDeps) {}

  async update(user: User, changes: AccountChanges, context: RequestContext | null): Promise<User> {
    const values: UserUpdate = {};
    const changed: string[] = [];
    if (changes.name !== undefined && changes.name !== user.username) {
      values.username = changes.name;
      changed.push('name');
    }
    const email = changes.email?.toLowerCase();
    if (email !== undefined && email !== user.email) {
      values.email = email;
      values.is_verified = false;
      changed.push('email');
    }
    if (changes.password !== undefined) {
      const owner = { username: values.username ?? user.username, email: values.email ?? user.email };
      const problems = await this.deps.users.passwordProblems(changes.password, owner);
      if (problems.length > 0) throw new RequestRefusedError({ code: AccountErrorCode.UPDATE_USER_INVALID_PASSWORD, reason: problems.join('; ') });
      changed.push('password');
    }
    for (const [flag, column, current] of [
      ['isActive', 'is_active', user.isActive],
      ['isSuperuser', 'is_superuser', user.isSuperuser],
      ['isVerified', 'is_verified', user.isVerified],
      ['loginNotices', 'login_notices', user.loginNotices],
    ] as const) {
      const wanted = changes[flag];
      if (wanted === undefined) continue;
      values[column] = wanted;
      if (wanted !== current) changed.push(column);
    }
    if (changed.length === 0) return user;

    await this.assertFree(user.id, values);
    if (changes.password !== undefined) {
      values.hashed_password = await this.deps.hasher.hash(changes.password);
      values.tokens_valid_after = new Date();
    }
    let updated: User | null;
    let endedSessions: string[] = [];
    try {
      // The change, its audit events and the sessions it ends commit together or not at all.
      updated = await this.deps.repository.transaction(async (trx) => {
        const result = await this.deps.repository.update(user.id, values, { trx });
        if (result === null) return null;
        const { audit, sessions } = this.deps;
        await audit.record('account.updated', { subjectId: user.id, detail: { changed } }, context, trx);
        if (changes.password !== undefined) {
          await audit.record('password.changed', { subjectId: user.id }, context, trx);
          endedSessions = await sessions.endAllIn(trx, user.id, 'password-changed', context, changes.currentSessionId ?? null);
        }
        if (changes.isActive === false && user.isActive) {
          await audit.record('account.deactivated', { subjectId: user.id }, context, trx);
          endedSessions = await sessions.endAllIn(trx, user.id, 'deactivated', context);
        }
        return result;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Taken by another request since the check: say which.
      await this.assertFree(user.id, values);
      throw error;
    }
    if (updated === null) throw notFound();
    await this.deps.sessions.announce(endedSessions);
    await this.deps.authenticator.accountChanged(user.id);
    await this.deps.users.emit({ type: 'updated', user: updated, changed });
    if (changes.password !== undefined) await this.deps.users.notify(updated, 'password-changed', context);
    if (values.email !== undefined && !updated.isVerified && updated.isActive) {
      await this.deps.users.emit({ type: 'verification-requested', user: updated, token: this.deps.tokens.issueVerifyToken(updated) });
    }
    return updated;
  }

  /**
   * Sets a password already checked against the policy and ends every older token. With `ifHashedPassword`, only
   * if the stored hash is still that one; null when it is not (or the user is gone).
   */
  async setPassword(user: User, password: string, context: RequestContext | null, options: { ifHashedPassword?: string } = {}): Promise<User | null> {
    const hashed = await this.deps.hasher.hash(password);
    let ended: string[] = [];
    const updated = await this.deps.repository.transaction(async (trx) => {
      const result = await this.deps.repository.update(user.id, { hashed_password: hashed, tokens_valid_after: new Date() }, { ...options, trx });
      if (result === null) return null;
      await this.deps.audit.record('password.reset', { subjectId: user.id }, context, trx);
      ended = await this.deps.sessions.endAllIn(trx, user.id, 'password-reset', context);
      return result;
    });
    if (updated !== null) {
      await this.deps.sessions.announce(ended);
      await this.deps.authenticator.accountChanged(user.id);
    }
    return updated;
  }

  /** Deletes the account; its data goes with it by ON DELETE CASCADE. */
  async delete(user: User, context: RequestContext | null): Promise<void> {
    let ended: string[] = [];
    const deleted = await this.deps.repository.transaction(async (trx) => {
      // Ended first, so their events are written and every process hears of them; the rows go with the account.
      ended = await this.deps.sessions.endAllIn(trx, user.id, 'deleted', context);
      await this.deps.audit.record('account.deleted', { subjectId: user.id }, context, trx);
      return this.deps.repository.delete(user.id, trx);
    });
    if (!deleted) throw notFound();
    await this.deps.sessions.announce(ended);
    await this.deps.authenticator.accountChanged(user.id);
    await this.deps.users.emit({ type: 'deleted', user });
  }

  private async assertFree(userId: string, values: UserUpdate): Promise<void> {
    if (typeof values.email === 'string') {
      const owner = await this.deps.repository.findByEmail(values.email);
      if (owner !== null && owner.id !== userId) throw new RequestRefusedError(AccountErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS);
    }
    if (typeof values.username === 'string') {
      const owner = await this.deps.repository.findByUsername(values.username);
      if (owner !== null && owner.id !== userId) throw new RequestRefusedError(AccountErrorCode.UPDATE_USER_NAME_ALREADY_EXISTS);
    }
  }
}
