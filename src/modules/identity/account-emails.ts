import type { EmailMessage } from '../../infra/mailer/mailer.js';
import type { JobQueue } from '../../infra/queue/jobs.js';
import type { AccountEvents } from './account-events.js';
import type { User } from './users.repository.js';
import { escapeHtml } from '../../core/escape-html.js';

export interface AccountEmailOptions {
  /**
   * Where the front end lives, e.g. `https://spruce.example`. With it, mails carry links
   * (`<publicUrl>/verify-email?token=…`, `<publicUrl>/reset-password?token=…`); without it, the token itself with
   * the API route to send it to.
   */
  publicUrl?: string;
  /** The name mails sign with; default "Spruce". */
  productName?: string;
  /** Token lifetimes, to tell people how long a mail stays good (config.*TokenExpireSeconds). */
  verifyTokenExpireSeconds?: number;
  resetTokenExpireSeconds?: number;
  emailChangeTokenExpireSeconds?: number;
}

/** "within 24 hours", "within 30 minutes", "within 2 days": whole units, the largest that fits. */
export function withinDuration(seconds: number): string {
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  const [size, name] = units.find(([unitSeconds]) => seconds % unitSeconds === 0 && seconds >= unitSeconds) ?? [1, 'second'];
  const count = Math.max(1, Math.round(seconds / size));
  return `within ${count} ${name}${count === 1 ? '' : 's'}`;
}

/** "s***@example.com": enough for the owner to recognise an address, not to hand it to whoever reads the mail. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

export interface Action {
  /** What the link or token is for, as a sentence. */
  intro: string;
  token: string;
  path: string;
  route: string;
  expiry: string;
}

/** Mails `to`, by default the account's own address; nothing for an account without one. */
export type SendAccountEmail = (user: User, subject: string, paragraphs: string[], action?: Action, to?: string | null) => Promise<void>;

/** The one way identity mails a person: greeting, paragraphs, an optional link or token, the signature; a 'send-email' job. */
export function accountMailer(queue: JobQueue, options: AccountEmailOptions = {}): SendAccountEmail {
  const product = options.productName ?? 'Spruce';
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  return async (user, subject, paragraphs, action, to = user.email) => {
    if (to === null) return;
    const greeting = `Hello ${user.username},`;
    const text: string[] = [greeting, ...paragraphs];
    const html: string[] = [`<p>${escapeHtml(greeting)}</p>`, ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`)];
    if (action !== undefined) {
      if (publicUrl !== undefined) {
        const link = `${publicUrl}${action.path}?token=${encodeURIComponent(action.token)}`;
        text.push(`${action.intro} open this link ${action.expiry}:`, link);
        html.push(`<p>${escapeHtml(`${action.intro} open this link ${action.expiry}:`)}</p>`, `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`);
      } else {
        text.push(`${action.intro} send this token to ${action.route} ${action.expiry}:`, action.token);
        html.push(`<p>${escapeHtml(`${action.intro} send this token to ${action.route} ${action.expiry}:`)}</p>`, `<p><code>${escapeHtml(action.token)}</code></p>`);
      }
    }
    text.push(`— ${product}`);
    html.push(`<p>— ${escapeHtml(product)}</p>`);
    const message: EmailMessage = { to, subject, text: `${text.join('\n\n')}\n`, html: html.join('\n') };
    await queue.enqueue({ name: 'send-email', data: message });
  };
}

/**
 * Mails people about their account: the verification token (asked for again, or after registration, when the
 * service follows 'registered' with 'verification-requested'), the reset token, and confirmations after a
 * verification or an email change (security notices, a password reset among them, are in security-notices.ts).
 * Each mail is a 'send-email' job, so a slow or failing mail server never slows or fails the request; the queue
 * retries. Accounts without an email (ToDo sign-ups) get no mail.
 */
export function registerAccountEmails(events: AccountEvents, queue: JobQueue, options: AccountEmailOptions = {}): void {
  const product = options.productName ?? 'Spruce';
  const send = accountMailer(queue, options);

  events.on('verification-requested', ({ user, token }) =>
    send(user, `Confirm your email for ${product}`, [`Please confirm that ${user.email} is your email address.`], {
      intro: 'To confirm it,',
      token,
      path: '/verify-email',
      route: 'POST /api/auth/verify',
      expiry: withinDuration(options.verifyTokenExpireSeconds ?? 86400),
    }),
  );

  events.on('verified', ({ user }) => send(user, `Your email is confirmed`, [`${user.email} is now confirmed for your ${product} account.`]));

  events.on('forgot-password', ({ user, token }) =>
    send(user, `Reset your ${product} password`, ['Someone asked to reset the password of your account. If it was not you, ignore this mail: nothing changes.'], {
      intro: 'To choose a new password,',
      token,
      path: '/reset-password',
      route: 'POST /api/auth/reset-password',
      expiry: withinDuration(options.resetTokenExpireSeconds ?? 3600),
    }),
  );

  events.on('email-change-requested', async ({ user, newEmail, token }) => {
    await Promise.all([
      send(
        user,
        `Confirm your new email for ${product}`,
        [`Please confirm that ${newEmail} is to become the email address of your ${product} account.`, 'Until you do, nothing changes.'],
        {
          intro: 'To confirm it,',
          token,
          path: '/confirm-email',
          route: 'POST /api/auth/confirm-email',
          expiry: withinDuration(options.emailChangeTokenExpireSeconds ?? 3600),
        },
        newEmail,
      ),
      // The current address hears of it first: the change needs the password, so if it was not the owner, the
      // password is known to someone else. Changing it also cancels the pending change.
      send(user, `Your ${product} email is about to change`, [
        `Someone signed in to your account asked to change its email address to ${maskEmail(newEmail)}. It changes only once confirmed from that address.`,
        'If this was not you, change your password at once: that cancels the change and signs everyone out.',
      ]),
    ]);
  });

  events.on('email-changed', ({ user, previousEmail }) =>
    send(
      user,
      `Your ${product} email was changed`,
      [
        `The email address of your account is now ${maskEmail(user.email ?? '')}, and every device signed in to it was signed out.`,
        'If you did not do this, contact us at once.',
      ],
      undefined,
      previousEmail,
    ),
  );
}
