import { Secret, TOTP } from 'otpauth';
import { admin, createAccount, expect, expectFitsPhone, logIn, openFromMenu, password, saveScreenshot, test, watchCspRefusals } from './support';

/** The code an authenticator app shows for `secret`, `stepsAhead` 30-second steps from now (the API accepts one either side). */
function codeFor(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

test('two-step verification: enrol with the QR code, recovery codes once, log in with a code or a recovery code, turn off; an admin turns it off for a lost phone', async ({ page, browser, request }) => {
  const refused = watchCspRefusals(page);
  const { name } = await createAccount(request, 'twostep');
  await logIn(page, name);
  await openFromMenu(page, name);
  const accountNav = page.getByRole('navigation', { name: 'Your account' });
  await accountNav.getByRole('link', { name: 'Two-step verification' }).click();
  await expect(page.getByText('Two-step verification is off')).toBeVisible();

  // Enrol: the password first (a wrong one is said), then the QR code as an image from a data: URL (no inline SVG).
  await page.getByLabel('Current password').fill('not-the-password-1');
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  await expect(page.getByRole('alert')).toContainText('Your current password is wrong');
  await page.getByLabel('Current password').fill(password);
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const secret = (await page.locator('code.secret').textContent()) as string;
  await page.getByLabel('Code from the app').fill(codeFor(secret) === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is wrong');
  await page.getByLabel('Code from the app').fill(codeFor(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const first = await codes.allTextContents();
  await expectFitsPhone(page);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByText('Two-step verification is on')).toBeVisible();
  await expect(codes).toHaveCount(0);

  // New recovery codes: the password and a code (a recovery code serves), shown once again.
  const newCodes = page.getByRole('region', { name: 'New recovery codes' });
  await newCodes.getByLabel('Current password').fill(password);
  await newCodes.getByLabel('Authenticator code').fill(first[0] as string);
  await newCodes.getByRole('button', { name: 'Make new recovery codes' }).click();
  await expect(codes).toHaveCount(10);
  const second = await codes.allTextContents();
  expect(second).not.toContain(first[1]);
  await page.getByRole('button', { name: 'I have saved them' }).click();

  // Log out, log in: the password, then the code; a spent recovery code is refused, a fresh one works.
  await openFromMenu(page, name);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Email or name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  await expect(page.getByLabel('Code from your authenticator app')).toBeFocused();
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(first[1] as string);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is wrong or was already used');
  await page.getByRole('button', { name: 'Use the code from the app instead' }).click();
  // The step after the one the enrolment spent: each step is accepted once.
  await page.getByLabel('Code from your authenticator app').fill(codeFor(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  // Back where the log-out left off.
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();

  // Turn it off: the password and a code (here a recovery code); the next log-in needs the password alone.
  await page.goto('/app/account/two-step');
  const off = page.getByRole('region', { name: 'Turn off two-step verification' });
  await off.getByLabel('Current password').fill(password);
  await off.getByLabel('Authenticator code').fill(second[0] as string);
  await off.getByRole('button', { name: 'Turn off' }).click();
  await expect(page.getByText('Two-step verification is off')).toBeVisible();

  // A lost phone: another account with two-step on (enrolled through the API), turned off by a superuser.
  const lost = await createAccount(request, 'lostphone');
  const token = (await (await request.post('/users/log-in', { data: { username: lost.name, password } })).json()).access_token as string;
  const auth = { Authorization: `Bearer ${token}` };
  const enrolment = await (await request.post('/api/users/me/mfa/totp', { headers: auth, data: { current_password: password } })).json();
  expect((await request.post('/api/users/me/mfa/totp/confirm', { headers: auth, data: { code: codeFor(enrolment.secret) } })).status()).toBe(200);
  const console_ = await (await browser.newContext()).newPage();
  await logIn(console_, admin.email, admin.password);
  await openFromMenu(console_, 'Admin');
  await console_.getByLabel('Search by name or email').fill(lost.name);
  await console_.getByRole('button', { name: 'Search' }).click();
  // The unfiltered first page is on screen until the search answers: wait for the one matching row.
  await expect(console_).toHaveURL(/q=/);
  const row = console_.getByRole('list', { name: 'Accounts' }).getByRole('listitem');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('two-step on');
  await console_.getByRole('button', { name: `Turn off two-step verification for ${lost.name}` }).click();
  await expect(row).not.toContainText('two-step on');
  const plain = await request.post('/users/log-in', { data: { username: lost.name, password } });
  expect(plain.status()).toBe(200);

  expect(refused).toEqual([]);
  await saveScreenshot(page, 'two-step');
});
