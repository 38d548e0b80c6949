import { setTimeout as sleep } from 'node:timers/promises';
import type { SmtpTestServer } from '../infra/support/smtp-test-server.js';

/** Waits until the check passes, polling; fails with the message after the timeout. */
export async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

export function messagesTo(server: SmtpTestServer, address: string, subject?: string): string[] {
  return server.received.filter(
    (raw) => new RegExp(`^To: ${escapeRegExp(address)}\\r?$`, 'mi').test(raw) && (subject === undefined || raw.includes(`Subject: ${subject}`)),
  );
}

/** The nth message (1-based) to an address with the subject, once it has arrived. */
export function waitForMessage(server: SmtpTestServer, address: string, subject: string, nth = 1, timeoutMs = 5000): Promise<string> {
  return waitFor(() => messagesTo(server, address, subject)[nth - 1], `message ${nth} to ${address} "${subject}"`, timeoutMs);
}

export const codeSubject = 'Your Spruce verification code';
export const verifiedSubject = 'Your email address is verified';

export function codeIn(raw: string): string {
  const match = /on Spruce is (\d{6})\./.exec(raw);
  if (match === null) throw new Error(`No code in the message:\n${raw}`);
  return match[1] as string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
