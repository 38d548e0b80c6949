import { createAccount, expect, logIn, openFromMenu, saveScreenshot, test } from './support';

test('first load: under 200 KB of compressed JavaScript, nothing from another origin, and nothing the CSP refuses', async ({ page, request, baseURL }) => {
  const origin = new URL(baseURL as string).origin;
  const scriptBytes: Promise<number>[] = [];
  const foreign: string[] = [];
  const refused: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  page.on('requestfinished', (r) => {
    if (r.resourceType() === 'script') scriptBytes.push(r.sizes().then((s) => s.responseBodySize));
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });

  const home = await page.goto('/');
  // The server sends a browser from / to /app/; the app sends a visitor who is not logged in to its log-in page.
  expect(home?.url()).toBe(`${origin}/app/`);
  await expect(page).toHaveURL(`${origin}/app/log-in`);
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
  const total = (await Promise.all(scriptBytes)).reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(10_000);
  expect(total).toBeLessThan(200 * 1024);

  // The other pages, their chunks and the chart, under the same policy.
  const account = await createAccount(request, 'budget');
  await logIn(page, account.name);
  await openFromMenu(page, 'Todos');
  await openFromMenu(page, account.name);
  await page.getByRole('link', { name: 'Edit your public profile' }).click();
  await expect(page.getByLabel('Full name')).toBeVisible();
  expect(foreign).toEqual([]);
  expect(refused).toEqual([]);

  // 360 px wide: nothing runs off the side.
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await saveScreenshot(page, 'edit-profile-360');
});
