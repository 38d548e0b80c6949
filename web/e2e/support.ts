import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

export { expect };

/** Every spec runs against the server global-setup.ts started. */
export const test = base.extend({
  baseURL: async ({}, use) => use(process.env.E2E_BASE_URL),
});

export const password = 'e2e-password-1';
export const admin = JSON.parse(process.env.E2E_ADMIN ?? '{}') as { email: string; name: string; password: string };

let counter = 0;
/** A name no other spec or earlier run uses (4 to 20 of [A-Za-z0-9_-]). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).slice(-5)}${(counter++).toString(36)}`;
}

const screenshotDir = path.resolve(import.meta.dirname, 'screenshots');

/** Each spec ends with a picture of its last page, for a person to look at (git-ignored). */
export async function saveScreenshot(page: Page, name: string, fullPage = true): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });
}

/** The decoded text of an .eml file (nodemailer writes long lines as quoted-printable). */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The newest mail to an address whose subject contains `subject`, waiting for the in-process job to write it. */
export async function readMail(to: string, subject: string, after = 0): Promise<string> {
  const outbox = process.env.E2E_OUTBOX as string;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort().reverse() : [];
    for (const file of files) {
      const full = path.join(outbox, file);
      if (fs.statSync(full).mtimeMs < after) continue;
      const mail = decodeQuotedPrintable(fs.readFileSync(full, 'utf8'));
      if (new RegExp(`^To: ${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?$`, 'mi').test(mail) && mail.includes(subject)) return mail;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} about "${subject}"`);
    await sleep(100);
  }
}

/** The first link into the app in a mail. */
export function linkIn(mail: string): string {
  const match = /https?:\/\/[^\s"<]+\/app\/[^\s"<]+/.exec(mail);
  if (match === null) throw new Error(`no app link in:\n${mail}`);
  return match[0];
}

/** An account made through the API (ToDo sign-up: a name, no email), for specs about something else. */
export async function createAccount(request: APIRequestContext, prefix: string): Promise<{ name: string; password: string }> {
  const name = uniqueName(prefix);
  const res = await request.post('/users/sign-up', { data: { username: name, password } });
  expect(res.status()).toBe(201);
  return { name, password };
}

/** Logs in through the log-in page: the access token lives in the page's memory, the refresh token in its HttpOnly cookie. */
export async function logIn(page: Page, identifier: string, secret = password): Promise<void> {
  await page.goto('/app/log-in');
  await page.getByLabel('Email or name').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cleaning jobs' })).toBeVisible();
}

/** Follows a link in the header, as a person would (no reload: the access token stays in memory). */
export async function openFromMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

/** Collects what the page's Content-Security-Policy refused (console messages), to expect none at the end. */
export function watchCspRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  return refused;
}

/** The page as it is now, on a 360 px phone: nothing runs off the side. The viewport is put back afterwards. */
export async function expectFitsPhone(page: Page): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  if (before !== null) await page.setViewportSize(before);
}
