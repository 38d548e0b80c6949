import type { EmailMessage } from '../../infra/mailer/mailer.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function minutes(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const whole = Math.round(seconds / 60);
  return `${whole} minute${whole === 1 ? '' : 's'}`;
}

// The code goes in the body only: subjects are logged (outbox, queue hand-back), bodies never are.
export function codeEmail(to: string, code: string, ttlSeconds: number): EmailMessage {
  const lifetime = minutes(ttlSeconds);
  return {
    to,
    subject: 'Your Spruce verification code',
    text:
      `Your code to verify this email address on Spruce is ${code}.\n\n` +
      `It expires in ${lifetime} and works once. If you did not ask for it, ignore this email.\n`,
    html:
      `<p>Your code to verify this email address on Spruce is</p>` +
      `<p style="font-size:24px;font-weight:bold;letter-spacing:4px">${code}</p>` +
      `<p>It expires in ${lifetime} and works once. If you did not ask for it, ignore this email.</p>`,
  };
}

/** To an address another account holds, in place of a code: the requester learns nothing, the owner is told. */
export function addressInUseEmail(to: string): EmailMessage {
  const text =
    'Someone signed in to Spruce asked to add this email address to their account. It already belongs to an ' +
    'account, so nothing was changed and no code was sent.';
  const advice = 'If that was you, log in with this address instead. If not, you can ignore this email.';
  return {
    to,
    subject: 'Someone tried to use your email address on Spruce',
    text: `${text}\n\n${advice}\n`,
    html: `<p>${text}</p><p>${advice}</p>`,
  };
}

export function verifiedEmail(to: string, username: string): EmailMessage {
  return {
    to,
    subject: 'Your email address is verified',
    text:
      `Hello ${username},\n\nThis email address is now verified for your Spruce account.\n\n` +
      `If this was not you, change your password and contact us.\n`,
    html:
      `<p>Hello ${escapeHtml(username)},</p><p>This email address is now verified for your Spruce account.</p>` +
      `<p>If this was not you, change your password and contact us.</p>`,
  };
}
