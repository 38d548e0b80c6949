import type { User } from './users.repository.js';

/** What a security notice tells the owner of an account about. */
export type SecurityNoticeKind =
  | 'password-changed'
  | 'password-reset'
  | 'mfa-enabled'
  | 'mfa-disabled'
  | 'mfa-disabled-by-superuser'
  | 'recovery-codes-replaced'
  | 'recovery-code-used'
  | 'new-client';

/** Where the change came from: the request's address and user agent (null outside a request). */
export interface NoticeClient {
  ip: string | null;
  userAgent: string | null;
  /** The user agent in a few words ("Firefox on Linux"), for the new-client notice. */
  family?: string;
}

/**
 * What happens to accounts, for features that react without the account routes knowing them (emails,
 * profiles, audit). Handlers run after the change is committed, all started together: they are independent,
 * and one waiting on the network (queueing an email) must not delay the others.
 */
export type AccountEvent =
  | { type: 'registered'; user: User }
  | { type: 'logged-in'; user: User }
  | { type: 'updated'; user: User; changed: string[] }
  | { type: 'verification-requested'; user: User; token: string }
  | { type: 'verified'; user: User }
  | { type: 'forgot-password'; user: User; token: string }
  | { type: 'password-reset'; user: User }
  /** The account asked to move to another email; `token` confirms it, mailed to `newEmail` only. */
  | { type: 'email-change-requested'; user: User; newEmail: string; token: string }
  /** The new email was confirmed and replaced `previousEmail`. */
  | { type: 'email-changed'; user: User; previousEmail: string | null }
  | { type: 'deleted'; user: User }
  /** Something the owner should hear of (see security-notices.ts); `detail` carries counts, never a secret. */
  | { type: 'security-notice'; user: User; notice: SecurityNoticeKind; at: Date; client: NoticeClient | null; detail?: { remaining?: number } };

export type AccountEventType = AccountEvent['type'];
type Handler<T extends AccountEventType> = (event: Extract<AccountEvent, { type: T }>) => Promise<void> | void;

export class AccountEvents {
  private readonly handlers = new Map<AccountEventType, Handler<any>[]>();

  on<T extends AccountEventType>(type: T, handler: Handler<T>): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  /** Runs every handler of the event; a failing handler does not stop the others, and its error is reported. */
  async emit(event: AccountEvent, onError: (error: unknown, event: AccountEvent) => void): Promise<void> {
    await Promise.all(
      (this.handlers.get(event.type) ?? []).map(async (handler) => {
        try {
          await handler(event);
        } catch (error) {
          onError(error, event);
        }
      }),
    );
  }
}
