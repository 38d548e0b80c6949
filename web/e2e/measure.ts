/**
 * `npm run bench:web`: the web app measured in Debian's Chromium against a real server process (started
 * as the end-to-end specs start it). Prints numbers; asserts nothing. Needs the built app (npm run build:web).
 *
 * - first-load JavaScript: bytes on the wire (compressed) of every script /app/ loads on a cold cache;
 * - first meaningful page: navigation start to the first page heading drawn, cold cache (a fresh browser context);
 * - page change: a click on a header link to the new page's heading, for a page seen before and one not yet loaded.
 */
import { chromium, type Page } from '@playwright/test';
import globalSetup from './global-setup';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const password = 'bench-password-1';
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const fmt = (values: number[]) => `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;

// Injected by the browser before any page script (not an inline script, so the page's CSP is not involved):
// records when each new page heading appears, and when the last click happened, on the page's own clock.
const recorder = () => {
  const w = window as unknown as { headings: { text: string; at: number }[]; lastClick: number };
  w.headings = [];
  w.lastClick = 0;
  addEventListener('click', () => (w.lastClick = performance.now()), true);
  new MutationObserver(() => {
    const h1 = document.querySelector('main h1');
    const text = h1?.textContent ?? '';
    if (h1 !== null && w.headings.at(-1)?.text !== text) w.headings.push({ text, at: performance.now() });
  }).observe(document, { childList: true, subtree: true, characterData: true });
};

async function pageChange(page: Page, link: string, heading: string): Promise<number> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return page.evaluate((expected) => {
    const w = window as unknown as { headings: { text: string; at: number }[]; lastClick: number };
    const shown = w.headings.findLast((h) => h.text === expected);
    return (shown?.at ?? Number.NaN) - w.lastClick;
  }, heading);
}

const teardown = await globalSetup();
const baseURL = process.env.E2E_BASE_URL as string;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: launchArgs });
try {
  const name = `bench_${Date.now().toString(36)}`;
  const signUp = await fetch(`${baseURL}/users/sign-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password }) });
  if (signUp.status !== 201) throw new Error(`sign-up: ${signUp.status}`);

  const firstLoad: number[] = [];
  const scriptBytes: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    await context.addInitScript(recorder);
    const page = await context.newPage();
    const scripts: Promise<number>[] = [];
    page.on('requestfinished', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.sizes().then((s) => s.responseBodySize));
    });
    await page.goto(`${baseURL}/app/`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    firstLoad.push(await page.evaluate(() => (window as unknown as { headings: { at: number }[] }).headings[0]?.at ?? Number.NaN));
    scriptBytes.push((await Promise.all(scripts)).reduce((a, b) => a + b, 0));

    await page.getByLabel('Email or name').fill(name);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cleaning jobs' }).waitFor();
    cold.push(await pageChange(page, 'Todos', 'Todos'));
    for (const [link, heading] of [['Jobs', 'Cleaning jobs'], ['Todos', 'Todos'], ['My jobs', 'My jobs'], ['Jobs', 'Cleaning jobs']] as const) {
      warm.push(await pageChange(page, link, heading));
    }
    await context.close();
  }
  console.log(`first-load JavaScript, compressed: ${(median(scriptBytes) / 1024).toFixed(1)} KB`);
  console.log(`first meaningful page (/app/ to the log-in heading), cold cache: ${fmt(firstLoad)}`);
  console.log(`page change to a page not loaded before (fetches its chunk): ${fmt(cold)}`);
  console.log(`page change to a page seen before: ${fmt(warm)}`);
} finally {
  await browser.close();
  await teardown();
}
