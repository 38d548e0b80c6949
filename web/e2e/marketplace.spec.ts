import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { createAccount, expect, logIn, openFromMenu, password, saveScreenshot, test } from './support';

/** Two people, each in a browser context of their own; the owner is logged in, the cleaner not yet. */
async function ownerAndCleaner(browser: Browser, request: APIRequestContext) {
  const owner = await createAccount(request, 'owner');
  const cleaner = await createAccount(request, 'cleaner');
  const ownerPage = await (await browser.newContext()).newPage();
  const cleanerPage = await (await browser.newContext()).newPage();
  await logIn(ownerPage, owner.name);
  return { owner, cleaner, ownerPage, cleanerPage };
}

async function tokenFor(request: APIRequestContext, name: string): Promise<string> {
  const res = await request.post('/users/log-in', { data: { username: name, password } });
  return (await res.json()).access_token as string;
}

test('marketplace: post, edit, offer, take back, offer again, accept, rate, and the cleaner\'s profile with its chart', async ({ browser, request }) => {
  const { owner, cleaner, ownerPage, cleanerPage } = await ownerAndCleaner(browser, request);

  // The owner posts a job; a bad price comes back as the API's message beside the price.
  await ownerPage.getByRole('link', { name: 'Post a job' }).click();
  await ownerPage.getByLabel('Title').fill('Deep clean of a two-room flat');
  await ownerPage.getByLabel('Description').fill('Kitchen and bathroom need the most love.');
  await ownerPage.getByLabel('Price (USD)').fill('12.345');
  await ownerPage.getByLabel('Kind of cleaning').selectOption('full_clean');
  await ownerPage.getByRole('button', { name: 'Post the job' }).click();
  await expect(ownerPage.getByLabel('Price (USD)')).toHaveAttribute('aria-invalid', 'true');
  await ownerPage.getByLabel('Price (USD)').fill('80');
  await ownerPage.getByRole('button', { name: 'Post the job' }).click();
  await expect(ownerPage.getByRole('heading', { level: 1, name: 'Deep clean of a two-room flat' })).toBeVisible();
  const jobUrl = ownerPage.url();
  await expect(ownerPage.getByText('No offers yet')).toBeVisible();

  await ownerPage.getByRole('button', { name: 'Edit job' }).click();
  await ownerPage.getByLabel('Price (USD)').fill('95.50');
  await ownerPage.getByRole('button', { name: 'Save changes' }).click();
  await expect(ownerPage.getByText('$95.50')).toBeVisible();

  // The cleaner finds it at the top of the feed (its update is the newest event) and offers.
  await logIn(cleanerPage, cleaner.name);
  await cleanerPage.getByRole('link', { name: 'Deep clean of a two-room flat' }).first().click();
  await expect(cleanerPage).toHaveURL(jobUrl);
  await expect(cleanerPage.getByText('You have not offered')).toBeVisible();
  await cleanerPage.getByRole('button', { name: 'Offer to do this job' }).click();
  await expect(cleanerPage.getByText('Your offer is pending')).toBeVisible();
  await cleanerPage.getByRole('button', { name: 'Take back my offer' }).click();
  await expect(cleanerPage.getByText('You have not offered')).toBeVisible();
  await cleanerPage.getByRole('button', { name: 'Offer to do this job' }).click();
  await expect(cleanerPage.getByText('Your offer is pending')).toBeVisible();

  // The owner sees the offer (after a reload of the list, by opening the page again from My jobs) and accepts it.
  await openFromMenu(ownerPage, 'My jobs');
  await ownerPage.getByRole('link', { name: 'Deep clean of a two-room flat' }).click();
  const offers = ownerPage.getByRole('list', { name: 'Offers' });
  await expect(offers.getByRole('listitem')).toHaveCount(1);
  await expect(offers).toContainText(`${cleaner.name} pending`);
  await ownerPage.getByRole('button', { name: `Accept ${cleaner.name}’s offer` }).click();
  await expect(offers).toContainText('accepted');

  await openFromMenu(cleanerPage, 'Jobs');
  await cleanerPage.getByRole('link', { name: 'Deep clean of a two-room flat' }).first().click();
  await expect(cleanerPage.getByText('Your offer is accepted')).toBeVisible();
  await expect(cleanerPage.getByRole('button', { name: 'Cancel: I cannot do this job' })).toBeVisible();

  // After the job, the owner rates the cleaner; the overall rating is required.
  await ownerPage.getByRole('button', { name: 'Save rating' }).click();
  await expect(ownerPage.getByText('Choose from one to five stars.')).toBeVisible();
  await ownerPage.getByLabel('4 stars').check();
  await ownerPage.getByLabel('Professionalism').selectOption('5');
  await ownerPage.getByLabel('Efficiency').selectOption('3');
  await ownerPage.getByLabel('Headline').fill('Spotless kitchen');
  await ownerPage.getByLabel('Comment').fill('Arrived on time and left the place shining.');
  await ownerPage.getByRole('button', { name: 'Save rating' }).click();
  await expect(ownerPage.getByText(`You rated ${cleaner.name} 4 of 5: “Spotless kitchen”`)).toBeVisible();
  await expect(offers).toContainText('completed');
  await saveScreenshot(ownerPage, 'marketplace-owner');

  // A second job, rated five stars through the API, so the histogram has two bars.
  const ownerToken = await tokenFor(request, owner.name);
  const cleanerToken = await tokenFor(request, cleaner.name);
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const job = await (await request.post('/api/cleanings', { headers: auth(ownerToken), data: { new_cleaning: { name: 'Windows', price: 20 } } })).json();
  expect((await request.post(`/api/cleanings/${job.id}/offers`, { headers: auth(cleanerToken) })).status()).toBe(201);
  expect((await request.put(`/api/cleanings/${job.id}/offers/${cleaner.name}`, { headers: auth(ownerToken), data: { offer_update: { status: 'accepted' } } })).ok()).toBe(true);
  expect((await request.post(`/api/users/${cleaner.name}/evaluations/${job.id}`, { headers: auth(ownerToken), data: { evaluation_create: { overall_rating: 5 } } })).status()).toBe(201);

  await ownerPage.getByRole('link', { name: 'See their profile' }).click();
  await expect(ownerPage.getByRole('heading', { level: 1, name: cleaner.name })).toBeVisible();
  await expect(ownerPage.getByRole('img', { name: /Ratings by stars: 5 stars: 1, 4 stars: 1, 3 stars: 0/ })).toBeVisible();
  await expect(ownerPage.getByRole('img', { name: /Average ratings: Overall 4\.5 of 5/ })).toBeVisible();
  await expect(ownerPage.getByRole('list', { name: 'Reviews' })).toContainText('Spotless kitchen');
  await saveScreenshot(ownerPage, 'marketplace-profile');
  await saveScreenshot(cleanerPage, 'marketplace-cleaner');
});

test('marketplace: the cleaner cancels an accepted offer, the owner deletes the job, and each edits a profile', async ({ browser, request }) => {
  const { owner, cleaner, ownerPage, cleanerPage } = await ownerAndCleaner(browser, request);

  await ownerPage.getByRole('link', { name: 'Post a job' }).click();
  await ownerPage.getByLabel('Title').fill('Spot clean after a party');
  await ownerPage.getByLabel('Price (USD)').fill('40');
  await ownerPage.getByRole('button', { name: 'Post the job' }).click();
  await expect(ownerPage.getByRole('heading', { level: 1, name: 'Spot clean after a party' })).toBeVisible();

  await logIn(cleanerPage, cleaner.name);
  await cleanerPage.getByRole('link', { name: 'Spot clean after a party' }).first().click();
  await cleanerPage.getByRole('button', { name: 'Offer to do this job' }).click();
  // A reload keeps the session (the refresh cookie) and shows the offer.
  await ownerPage.reload();
  await ownerPage.getByRole('button', { name: `Accept ${cleaner.name}’s offer` }).click();
  await expect(ownerPage.getByRole('list', { name: 'Offers' })).toContainText('accepted');

  await cleanerPage.reload();
  await cleanerPage.getByRole('button', { name: 'Cancel: I cannot do this job' }).click();
  await expect(cleanerPage.getByText('Your offer is cancelled')).toBeVisible();

  await ownerPage.getByRole('button', { name: 'Delete job' }).click();
  await ownerPage.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(ownerPage.getByRole('heading', { level: 1, name: 'My jobs' })).toBeVisible();
  await expect(ownerPage.getByText('You have not posted a job yet')).toBeVisible();

  // Edit my profile: a bad phone number is the API's message beside the field.
  await openFromMenu(cleanerPage, cleaner.name);
  await cleanerPage.getByRole('link', { name: 'Edit your public profile' }).click();
  await cleanerPage.getByLabel('Full name').fill('Casey Cleaner');
  await cleanerPage.getByLabel('Phone').fill('not a phone');
  await cleanerPage.getByLabel('About you').fill('Ten years of spotless kitchens.');
  await cleanerPage.getByRole('button', { name: 'Save profile' }).click();
  await expect(cleanerPage.getByLabel('Phone')).toHaveAttribute('aria-invalid', 'true');
  await cleanerPage.getByLabel('Phone').fill('+1 555 0100');
  await cleanerPage.getByRole('button', { name: 'Save profile' }).click();
  await cleanerPage.getByRole('link', { name: 'See your profile' }).click();
  await expect(cleanerPage.getByText('Casey Cleaner')).toBeVisible();
  await expect(cleanerPage.getByText('Ten years of spotless kitchens.')).toBeVisible();
  await expect(cleanerPage.getByText(`${cleaner.name} has not been rated yet.`)).toBeVisible();
  await saveScreenshot(cleanerPage, 'marketplace-my-profile');
});

test('marketplace: the feed loads older jobs as it scrolls, over the API\'s cursor', async ({ page, request }) => {
  const poster = await createAccount(request, 'poster');
  const token = await tokenFor(request, poster.name);
  // More than two pages (20 a page), posted through the API.
  for (let i = 1; i <= 45; i++) {
    const res = await request.post('/api/cleanings', { headers: { Authorization: `Bearer ${token}` }, data: { new_cleaning: { name: `Feed job ${String(i).padStart(2, '0')}`, price: 10 + i } } });
    expect(res.status()).toBe(201);
  }
  const reader = await createAccount(request, 'reader');
  await logIn(page, reader.name);
  const feed = page.getByRole('list', { name: 'Latest jobs' });
  await expect(feed.getByRole('listitem')).toHaveCount(20);
  await expect(feed.getByRole('listitem').first()).toContainText('Feed job 45');
  await saveScreenshot(page, 'marketplace-feed', false);

  // Scrolling down, as a reader does, until the oldest job shows: no button is pressed.
  const oldest = feed.getByText('Feed job 01', { exact: true });
  for (let tries = 0; tries < 20 && !(await oldest.isVisible()); tries++) {
    await page.mouse.wheel(0, 5_000);
    await page.waitForTimeout(200);
  }
  await expect(oldest).toBeVisible();
  const count = await feed.getByRole('listitem').count();
  expect(count).toBeGreaterThanOrEqual(45);
  // Every job once: the cursor neither repeats nor skips.
  const names = await feed.getByRole('heading').allTextContents();
  const jobs = names.filter((n) => n.startsWith('Feed job'));
  expect(new Set(jobs).size).toBe(45);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, 'marketplace-feed-360', false);
});
