import type { JobQueue } from '../../infra/queue/jobs.js';
import { accountMailer, type AccountEmailOptions } from './account-emails.js';
import type { AccountEvents, NoticeClient, SecurityNoticeKind } from './account-events.js';

interface NoticeText {
  subject: string;
  /** What happened, as a sentence. */
  happened: string;
  /** What to do if it was not the owner. */
  ifNotYou: string;
}

const resetAdvice = 'If this was not you, reset your password at once ("Forgot password"), which signs everyone out, and contact us.';

function textOf(notice: SecurityNoticeKind, product: string, remaining: number | undefined): NoticeText {
  switch (notice) {
    case 'password-changed':
      return {
        subject: `Your ${product} password was changed`,
        happened: 'The password of your account was changed, and every other device signed in to it was signed out.',
        ifNotYou: resetAdvice,
      };
    case 'password-reset':
      return {
        subject: `Your ${product} password was changed`,
        happened: 'The password of your account was just reset with a link mailed to this address, and every device signed in with the old one was signed out.',
        ifNotYou: 'If you did not do this, reset your password again at once and contact us: someone can read this mailbox.',
      };
    case 'mfa-enabled':
      return {
        subject: `Two-step verification is on for your ${product} account`,
        happened: 'Two-step verification (an authenticator app) was turned on: signing in now needs a code from that app.',
        ifNotYou: `${resetAdvice} Someone who knows your password set it up; we can turn it off for you.`,
      };
    case 'mfa-disabled':
      return {
        subject: `Two-step verification was turned off for your ${product} account`,
        happened: 'Two-step verification was turned off: signing in now needs only your password.',
        ifNotYou: `${resetAdvice} Then turn two-step verification on again.`,
      };
    case 'mfa-disabled-by-superuser':
      return {
        subject: `Two-step verification was turned off for your ${product} account`,
        happened: 'An administrator turned off two-step verification for your account, as asked when a device is lost: signing in now needs only your password.',
        ifNotYou: `If you did not ask for this, ${resetAdvice.slice('If this was not you, '.length)} Then turn two-step verification on again.`,
      };
    case 'recovery-codes-replaced':
      return {
        subject: `New recovery codes for your ${product} account`,
        happened: 'New recovery codes were made for your account; the earlier ones no longer work.',
        ifNotYou: resetAdvice,
      };
    case 'recovery-code-used':
      return {
        subject: `A recovery code of your ${product} account was used`,
        happened: `One of your recovery codes was used in place of an authenticator code${remaining === undefined ? '' : `; ${remaining} unused code${remaining === 1 ? '' : 's'} left`}.`,
        ifNotYou: `${resetAdvice} Then make new recovery codes.`,
      };
    case 'new-client':
      return {
        subject: `New sign-in to your ${product} account`,
        happened: 'Your account was signed in to from a browser or app it has not used before.',
        ifNotYou:
          'If this was you, there is nothing to do. If not, change your password at once and end every other session. ' +
          'These notices can be turned off with "login_notices": false on PATCH /api/users/me.',
      };
  }
}

/** "2026-11-22 10:15 UTC": unambiguous wherever the reader is. */
function formatWhen(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Where, for a person: the address and the browser, with the raw user agent cut to a readable length. */
function formatWhere(client: NoticeClient | null): string[] {
  if (client === null) return ['From: not through the API (an administrator\'s command).'];
  const lines = [`From address: ${client.ip ?? 'unknown'}`];
  if (client.family !== undefined) lines.push(`Browser or app: ${client.family}`);
  lines.push(`User agent: ${client.userAgent === null ? 'none sent' : client.userAgent.slice(0, 200)}`);
  return lines;
}

/**
 * Security notices: mails telling the owner of an account what just happened to it, when and from where, and
 * what to do if it was not them. Queued as 'send-email' jobs like every account mail; they carry no code, token
 * or password. Accounts without an email get none.
 */
export function registerSecurityNotices(events: AccountEvents, queue: JobQueue, options: AccountEmailOptions = {}): void {
  const product = options.productName ?? 'Spruce';
  const send = accountMailer(queue, options);
  events.on('security-notice', ({ user, notice, at, client, detail }) => {
    const text = textOf(notice, product, detail?.remaining);
    return send(user, text.subject, [text.happened, `When: ${formatWhen(at)}`, ...formatWhere(client), text.ifNotYou]);
  });
}
