import { admin, createAccount, expect, expectFitsPhone, logIn, openFromMenu, saveScreenshot, test, watchCspRefusals } from './support';

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

test('admin console: search the accounts, end one’s sessions, read the audit log with filters, and the service at a glance', async ({ page, request, browser }) => {
  const refused = watchCspRefusals(page);
  const target = await createAccount(request, 'findme');
  const device = await (await browser.newContext()).newPage();
  await logIn(device, target.name);

  await logIn(page, admin.email, admin.password);
  await openFromMenu(page, 'Admin');
  const rows = page.getByRole('list', { name: 'Accounts' }).getByRole('listitem');

  // Search by part of the name, in another case; the search lives in the address.
  await page.getByLabel('Search by name or email').fill(target.name.slice(0, -2).toUpperCase());
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(target.name);
  await expect(page).toHaveURL(/q=/);
  await page.getByLabel('Search by name or email').fill('no-such-account-at-all');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No account matches “no-such-account-at-all”.')).toBeVisible();
  await page.goBack();
  await expect(rows).toHaveCount(1);
  await expectFitsPhone(page);

  // End every session of the account: its browser is logged out at its next request.
  await page.getByRole('button', { name: `End every session of ${target.name}` }).click();
  await expect(rows.first().getByRole('status')).toContainText(`Every session of ${target.name} has ended`);
  await openFromMenu(device, 'Todos');
  await expect(device.getByText('Your session ended')).toBeVisible();

  // Its audit log, from its row, then narrowed to one event.
  await page.getByRole('link', { name: `Audit log of ${target.name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const events = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem');
  await expect(events.filter({ hasText: 'Session ended' }).filter({ hasText: 'by an administrator' })).toHaveCount(1);
  await expect(events.filter({ hasText: 'Logged in' })).toHaveCount(1);
  await page.getByLabel('Event', { exact: true }).selectOption({ label: 'Logged in' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(events).toHaveCount(1);
  await expect(events.first()).toContainText('Logged in');
  // A malformed account id: the API's 422 beside the field.
  await page.getByLabel('Account id').fill('not-an-id');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByLabel('Account id')).toHaveAttribute('aria-invalid', 'true');
  // Nothing before a date long past.
  await page.getByLabel('Account id').fill('');
  await page.getByLabel('Event', { exact: true }).selectOption({ label: 'any event' });
  await page.getByLabel('Before').fill('2001-01-01T00:00');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('No event matches these filters.')).toBeVisible();
  await expectFitsPhone(page);

  // The service at a glance: polled readings fill the small charts.
  await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Service status' }).click();
  const glance = page.getByRole('list', { name: 'The service at a glance' });
  await expect(glance.getByRole('heading', { name: 'Database (sqlite)' })).toBeVisible();
  await expect(glance.getByRole('listitem').filter({ hasText: 'Database' })).toContainText('answering');
  await expect(glance.getByRole('heading', { name: 'Job queue (in-process)' })).toBeVisible();
  await expect(glance.getByRole('img', { name: /^Requests a second: 2 readings/ })).toBeVisible({ timeout: 15_000 });
  await expect(glance.getByRole('img', { name: /^Mean latency: \d+ readings/ })).toBeVisible();
  await expectFitsPhone(page);
  expect(refused).toEqual([]);
  await saveScreenshot(page, 'admin-console');
});
