import { admin, createAccount, expect, logIn, openFromMenu, saveScreenshot, test } from './support';

test('admin console: a superuser pages through the accounts, deactivates one and makes another a superuser', async ({ page, request, browser }) => {
  // Enough accounts for a second page (25 a page), whatever the other specs created.
  const accounts = [];
  for (let i = 0; i < 26; i++) accounts.push(await createAccount(request, 'member'));
  const [target, promoted] = accounts.slice(-2) as [{ name: string; password: string }, { name: string; password: string }];

  // Someone who is not a superuser sees no admin link, and the page itself refuses.
  const member = await (await browser.newContext()).newPage();
  await logIn(member, target.name);
  await expect(member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await logIn(page, admin.email, admin.password);
  await openFromMenu(page, 'Admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  const rows = page.getByRole('list', { name: 'Accounts' }).getByRole('listitem');
  await expect(rows).toHaveCount(25);
  // The superuser's own row has no buttons: no locking oneself out by a slip.
  await expect(rows.filter({ hasText: admin.name }).getByRole('button')).toHaveCount(0);

  // Newest accounts are on the last page (the API lists oldest first).
  const pager = page.getByRole('navigation', { name: 'Pages' });
  const last = Number(/of (\d+)/.exec((await pager.textContent()) ?? '')?.[1]);
  for (let p = 1; p < last; p++) await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText(`Page ${last} of ${last}`);
  await expect(page).toHaveURL(new RegExp(`page=${last}`));

  await page.getByRole('button', { name: `Deactivate ${target.name}` }).click();
  await expect(rows.filter({ hasText: target.name })).toContainText('deactivated');
  await page.getByRole('button', { name: `Make superuser: ${promoted.name}` }).click();
  await expect(rows.filter({ hasText: promoted.name })).toContainText('superuser');

  // The API applies both at once: the deactivated account's session ends, and it cannot log in again.
  await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Todos', exact: true }).click();
  await expect(member.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(member.getByText('Your session ended')).toBeVisible();
  const refused = await request.post('/users/log-in', { data: { username: target.name, password: target.password } });
  expect(refused.status()).toBe(401);

  await page.getByRole('button', { name: `Reactivate ${target.name}` }).click();
  await expect(rows.filter({ hasText: target.name })).not.toContainText('deactivated');
  await saveScreenshot(page, 'admin-users');
});
