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
