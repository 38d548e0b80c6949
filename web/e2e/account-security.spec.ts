import { createAccount, expect, logIn, openFromMenu, saveScreenshot, test } from './support';

test('a reload keeps the session (refresh cookie); log-out ends it, and a reload then shows logged out', async ({ page }) => {
  const { name } = await createAccount(page.request, 'reload');
  await logIn(page, name);
  const cookies = await page.context().cookies();
  const refresh = cookies.find((c) => c.name === 'spruce_refresh');
  expect(refresh?.httpOnly).toBe(true);
  expect(refresh?.path).toBe('/api/auth/refresh');
  expect(refresh?.sameSite).toBe('Strict');
  // Page scripts see neither token: the access token is in memory, the refresh token in an HttpOnly cookie.
  expect(await page.evaluate(() => document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).toBe('{}{}');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Cleaning jobs' })).toBeVisible();
  await page.goto('/app/todos');
  await expect(page.getByRole('heading', { level: 1, name: 'Todos' })).toBeVisible();

  await openFromMenu(page, name);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  expect((await page.context().cookies()).some((c) => c.name === 'spruce_refresh')).toBe(false);
  await page.goto('/app/todos');
  await expect(page).toHaveURL(/\/app\/log-in\?next=%2Ftodos/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' })).toBeVisible();
  await saveScreenshot(page, 'session-reload');
});
