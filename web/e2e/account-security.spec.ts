import { createAccount, expect, expectFitsPhone, linkIn, logIn, openFromMenu, password, readMail, saveScreenshot, test, uniqueName, watchCspRefusals } from './support';

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

test('account security: sessions (end one, end all others), change password, change email by the mailed link, my activity', async ({ page, browser, request }) => {
  const refused = watchCspRefusals(page);
  const name = uniqueName('secure');
  const email = `${name}@spruce.test`;
  const created = await request.post('/api/users', { data: { new_user: { email, name, password } } });
  expect(created.status()).toBe(201);
  const token = new URL(linkIn(await readMail(email, 'Confirm your email'))).searchParams.get('token');
  expect((await request.post('/api/auth/verify', { data: { token } })).status()).toBe(200);

  // Two devices: this page, and another browser context.
  const other = await (await browser.newContext()).newPage();
  await logIn(other, email);
  await logIn(page, email);
  await openFromMenu(page, name);
  const accountNav = page.getByRole('navigation', { name: 'Your account' });
  await accountNav.getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible();
  const sessions = page.getByRole('list', { name: 'Live sessions' }).getByRole('listitem');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: 'this device' })).toHaveCount(1);
  await expect(sessions.filter({ hasText: 'this device' }).getByRole('button', { name: 'Log out on this device' })).toBeVisible();
  await expectFitsPhone(page);
  await saveScreenshot(page, 'account-sessions', false);

  // End the other one: that device is logged out at its next request.
  await sessions.filter({ hasNotText: 'this device' }).getByRole('button', { name: /^End this session/ }).click();
  await expect(sessions).toHaveCount(1);
  await openFromMenu(other, 'Todos');
  await expect(other.getByText('Your session ended')).toBeVisible();

  // And all others at once, confirmed with the current password.
  await logIn(other, email);
  await page.reload();
  await expect(sessions).toHaveCount(2);
  await page.getByLabel('Current password').fill(password);
  await page.getByRole('button', { name: 'End all other sessions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Every other session has ended' })).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await openFromMenu(other, 'Todos');
  await expect(other.getByText('Your session ended')).toBeVisible();

  // Change the password: a wrong current password is said beside the form; the right one keeps this session going.
  await accountNav.getByRole('link', { name: 'Email and password' }).click();
  const passwordForm = page.getByRole('region', { name: 'Change your password' });
  await passwordForm.getByLabel('Current password').fill('not-the-password-1');
  await passwordForm.getByLabel('New password').fill('a-new-password-2');
  await passwordForm.getByRole('button', { name: 'Change the password' }).click();
  await expect(passwordForm.getByRole('alert')).toContainText('Your current password is wrong');
  await expectFitsPhone(page);
  await passwordForm.getByLabel('Current password').fill(password);
  await passwordForm.getByRole('button', { name: 'Change the password' }).click();
  await expect(passwordForm.getByRole('status')).toContainText('Your password is changed');
  await openFromMenu(page, 'Todos');
  await expect(page.getByRole('heading', { level: 1, name: 'Todos' })).toBeVisible();

  // Change the email: the API's 422 beside its field, then a link mailed to the new address.
  await openFromMenu(page, name);
  await accountNav.getByRole('link', { name: 'Email and password' }).click();
  const emailForm = page.getByRole('region', { name: 'Change your email' });
  await emailForm.getByLabel('New email').fill('not-an-email');
  await emailForm.getByLabel('Current password').fill('a-new-password-2');
  await emailForm.getByRole('button', { name: 'Send the confirmation link' }).click();
  await expect(emailForm.getByLabel('New email')).toHaveAttribute('aria-invalid', 'true');
  const newEmail = `new_${email}`;
  await emailForm.getByLabel('New email').fill(newEmail);
  await emailForm.getByLabel('Current password').fill('a-new-password-2');
  await emailForm.getByRole('button', { name: 'Send the confirmation link' }).click();
  await expect(emailForm.getByRole('status')).toContainText(`We sent a link to ${newEmail}`);
  await page.goto(linkIn(await readMail(newEmail, 'Confirm your new email')));
  const moved = page.getByRole('status').filter({ hasText: 'Your email is now' });
  await expect(moved).toContainText(newEmail);

  // Opened where the account is logged in, the link keeps this session (every other one ended): read what happened.
  await expect(moved).toContainText('you are still logged in here');
  await page.goto('/app/account/activity');
  const events = page.getByRole('list', { name: "Your account's events" });
  for (const text of ['Email changed', 'New email asked for', 'Password changed', 'Session ended', 'Logged in', 'Email confirmed', 'Account created']) {
    await expect(events.getByText(text, { exact: true }).first()).toBeVisible();
  }
  await expectFitsPhone(page);
  expect(refused).toEqual([]);
  await saveScreenshot(page, 'account-security');
});
