import { isUniqueViolation } from '../../db/errors.js';
import { RequestRefusedError } from '../../core/errors.js';
import type { RequestContext } from '../../core/request-context.js';
import type { KeyValueStore } from '../../infra/store/key-value-store.js';
import type { Authenticator } from './authenticator.js';
import type { User, UsersRepository } from './users.repository.js';
import type { UsersService } from './users.service.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { AccountTokens } from './account-tokens.js';
import type { SessionsService } from './sessions.service.js';
import { AccountErrorCode } from './error-codes.js';
import type { RequestThrottle } from './request-throttle.js';

export interface EmailChangesDeps {
  users: UsersService;
  repository: UsersRepository;
  tokens: AccountTokens;
  authenticator: Authenticator;
  sessions: SessionsService;
  audit: AuditLog;
  store: KeyValueStore;
  /** Requests per account and per new address (EMAIL_CHANGE_MAX_PER_ACCOUNT, EMAIL_CHANGE_MAX_PER_EMAIL). */
  throttle: Pick<RequestThrottle, 'hit'>;
  /** How long a confirmation stays good, and the pending change with it. */
  lifetimeSeconds: number;
}

/** Who confirms, when the request carries an honoured access token: its account and session. */
export interface ConfirmingCaller {
  userId: string;
  sessionId: string | null;
}

const emailTaken = () => new RequestRefusedError(AccountErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS);
const badToken = () => new RequestRefusedError(AccountErrorCode.CHANGE_EMAIL_BAD_TOKEN);

/**
 * Moving an account to another email, so that a stolen access token alone cannot take the account over (change
 * the email, then reset the password through it). The caller has proved the current password already; the new
 * address is mailed a confirmation token and the current one a notice, and nothing changes until the token comes
 * back. Only the latest request of an account can be confirmed, once (its token id is kept in the shared store
 * and taken atomically); a password change cancels it (the token carries a fingerprint of the password hash).
 */
export class EmailChanges {
  constructor(private readonly deps: EmailChangesDeps) {}

  /** Whether the account may ask to move to `email` now: the address is free and the limits allow another mail. */
  async assertCanRequest(user: User, email: string): Promise<void> {
    const holder = await this.deps.repository.findByEmail(email);
    if (holder !== null && holder.id !== user.id) throw emailTaken();
    // Each request mails both addresses: bounded per account (the notices) and per new address (the confirmations).
    await this.deps.throttle.hit('email-change', { account: user.id, email });
  }

  /** Mails the confirmation and the notice; an earlier pending change of the account can no longer be confirmed. */
  async request(user: User, email: string, context: RequestContext | null): Promise<void> {
    const { token, jti } = this.deps.tokens.issueEmailChangeToken(user, email);
    await this.deps.store.set(this.pendingKey(user.id), jti, this.deps.lifetimeSeconds);
    await this.deps.audit.record('email.change_requested', { subjectId: user.id }, context);
    await this.deps.users.emit({ type: 'email-change-requested', user, newEmail: email, token });
  }

  /**
   * Moves the account to the confirmed address, verified (the token came from its mailbox), and ends every access
   * token issued before and every session but the caller's: whoever held one may be who the owner is locking out.
   * The caller's session is kept only when it is the account's own (the link opened where the owner is logged in);
   * its access token dies too, and its refresh token gets a new one.
   */
  async confirm(token: string, context: RequestContext | null, caller: ConfirmingCaller | null = null): Promise<User> {
    const claims = this.deps.tokens.readEmailChangeToken(token);
    const user = claims === null ? null : await this.deps.repository.findById(claims.userId);
    if (
      claims === null ||
      user === null ||
      !user.isActive ||
      user.email !== claims.from ||
      !this.deps.tokens.fingerprintMatches(claims.fingerprint, user.hashedPassword)
    ) {
      throw badToken();
    }
    const holder = await this.deps.repository.findByEmail(claims.to);
    if (holder !== null && holder.id !== user.id) throw emailTaken();
    // Taken atomically: of two requests racing with one token, one goes on; a superseded token goes nowhere.
    if (!(await this.deps.store.deleteIfEquals(this.pendingKey(user.id), claims.jti))) throw badToken();

    let updated: User | null;
    let ended: string[] = [];
    try {
      updated = await this.deps.repository.transaction(async (trx) => {
        const result = await this.deps.repository.update(user.id, { email: claims.to, is_verified: true, tokens_valid_after: new Date() }, { trx });
        if (result === null) return null;
        await this.deps.audit.record('email.changed', { subjectId: user.id }, context, trx);
        // The confirmation comes from a mailbox: every session of the account ends but the one confirming, if any.
        const keep = caller !== null && caller.userId === user.id ? caller.sessionId : null;
        ended = await this.deps.sessions.endAllIn(trx, user.id, 'email-changed', context, keep);
        return result;
      });
    } catch (error) {
      // Another account took the address since the check.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
    if (updated === null) throw badToken(); // deleted in the meantime
    await this.deps.sessions.announce(ended);
    await this.deps.authenticator.accountChanged(user.id);
    await this.deps.users.emit({ type: 'email-changed', user: updated, previousEmail: claims.from });
    return updated;
  }

  private pendingKey(userId: string): string {
    return `email-change:pending:${userId}`;
  }
}
