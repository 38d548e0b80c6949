import { expect, linkIn, logIn, openFromMenu, password, readMail, saveScreenshot, test, uniqueName } from './support';

test('sign up with an email, confirm by the emailed link, log in, log out, then reset a forgotten password', async ({ page }) => {
  const name = uniqueName('mail');
  const email = `${name}@spruce.test`;

  await page.goto('/app/sign-up');
  // The API's own reasons, beside their fields: a 422 for the name, then a 400 detail for the taken address.
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Name', { exact: true }).fill('x!');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  const nameField = page.getByLabel('Name', { exact: true });
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-invalid .field-error')).toContainText(/at least 4 characters/);

  await nameField.fill(name);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

  // Not confirmed yet: log-in says why and offers a new link.
  await logInExpectingError(page, email, /Confirm your email first/);
  await page.getByRole('button', { name: 'Send a new confirmation link' }).click();
  await expect(page.getByRole('status')).toContainText('a new link is on its way');

  await page.goto(linkIn(await readMail(email, 'Confirm your email')));
  await expect(page.getByRole('status').filter({ hasText: 'is confirmed' })).toContainText(email);

  await logIn(page, email);
  await openFromMenu(page, name);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByText('confirmed', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign up' })).toBeVisible();

  // Forgot the password: the mailed link leads to a form for the new one.
  const asked = Date.now();
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('we sent it a link');
  await page.goto(linkIn(await readMail(email, 'Reset', asked - 1000)));
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('alert')).toContainText(/password/i);
  await page.getByLabel('New password').fill('a-brand-new-password-2');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');

  await logInExpectingError(page, email, /Wrong email, name or password/);
  await logIn(page, email, 'a-brand-new-password-2');
  await saveScreenshot(page, 'accounts');
});

test('sign up with a name only, then add an email and confirm it by code', async ({ page }) => {
  const name = uniqueName('named');
  const email = `${name}@spruce.test`;
  await page.goto('/app/sign-up');
  await page.getByLabel('a name only').check();
  await expect(page.getByLabel('Email', { exact: true })).toHaveCount(0);
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByText('none yet')).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByRole('status')).toContainText(`A code is on its way to ${email}`);

  const code = /on Spruce is (\d{6})\./.exec(await readMail(email, 'verification code'))?.[1] as string;
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Code').fill(wrong);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${email} is confirmed` })).toBeVisible();
  await expect(page.getByText('confirmed', { exact: true })).toBeVisible();

  // A reload keeps the session (the refresh cookie); a deep link opened while logged out comes back to its page
  // after log-in.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.goto('/app/todos');
  await expect(page).toHaveURL(/\/app\/log-in\?next=%2Ftodos/);
  await page.getByLabel('Email or name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Todos' })).toBeVisible();
  await saveScreenshot(page, 'accounts-by-code');
});

async function logInExpectingError(page: import('@playwright/test').Page, identifier: string, message: RegExp) {
  await page.goto('/app/log-in');
  await page.getByLabel('Email or name').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText(message);
}
