import { createAccount, expect, logIn, openFromMenu, saveScreenshot, test } from './support';

test('todos: add, order both ways, mark done and undone, delete, and roll back a change the API refuses', async ({ page, request }) => {
  const account = await createAccount(request, 'todo');
  await logIn(page, account.name);
  await openFromMenu(page, 'Todos');
  await expect(page.getByText('Nothing to do')).toBeVisible();

  const list = page.getByRole('list', { name: 'Todos' });
  for (const content of ['Buy spruce tips', 'Water the plants', 'Call the cleaner']) {
    await page.getByLabel('New todo').fill(content);
    await page.getByRole('button', { name: 'Add' }).click();
    await expect(list.getByText(content)).toBeVisible();
  }
  await expect(page.getByLabel('New todo')).toHaveValue('');
  // Once saved, every row has its server id again (the optimistic row's checkbox is disabled until then).
  await expect(list.getByRole('checkbox', { disabled: true })).toHaveCount(0);
  await expect(list.getByRole('listitem')).toHaveText(['Buy spruce tips', 'Water the plants', 'Call the cleaner'].map((t) => new RegExp(t)));

  await page.getByRole('button', { name: /Change order/ }).click();
  await expect(page).toHaveURL(/order=DESC/);
  await expect(list.getByRole('listitem')).toHaveText(['Call the cleaner', 'Water the plants', 'Buy spruce tips'].map((t) => new RegExp(t)));

  // click, not check(): the box is drawn from the cache, which the optimistic update fills a moment after the click.
  await list.getByRole('checkbox', { name: 'Water the plants' }).click();
  await expect(list.getByRole('checkbox', { name: 'Water the plants' })).toBeChecked();
  await list.getByRole('checkbox', { name: 'Water the plants' }).click();
  await expect(list.getByRole('checkbox', { name: 'Water the plants' })).not.toBeChecked();

  // The API refuses the next change, slowly: the checkbox flips at once, then goes back with the API's reason.
  let answer = () => {};
  const answered = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/todos/*', async (route) => {
    if (route.request().method() !== 'PATCH') return route.fallback();
    await answered;
    return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ detail: 'Todo not found' }) });
  });
  await list.getByRole('checkbox', { name: 'Buy spruce tips' }).click();
  await expect(list.getByRole('checkbox', { name: 'Buy spruce tips' })).toBeChecked();
  await expect(page.getByRole('alert')).toHaveCount(0);
  answer();
  await expect(page.getByRole('alert')).toHaveText('Todo not found');
  await expect(list.getByRole('checkbox', { name: 'Buy spruce tips' })).not.toBeChecked();
  await page.unroute('**/todos/*');

  await list.getByRole('checkbox', { name: 'Call the cleaner' }).click();
  await expect(list.getByRole('checkbox', { name: 'Call the cleaner' })).toBeChecked();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete “Water the plants”' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);

  // What the server kept, read again from scratch: the same two todos, one done.
  await page.getByRole('button', { name: /Change order/ }).click();
  await expect(list.getByRole('listitem')).toHaveText([/Buy spruce tips/, /Call the cleaner/]);
  await expect(list.getByRole('checkbox', { name: 'Call the cleaner' })).toBeChecked();
  await saveScreenshot(page, 'todos');
});

test('todos: an empty todo shows the API\'s message beside the field', async ({ page, request }) => {
  const account = await createAccount(request, 'todo');
  await logIn(page, account.name);
  await openFromMenu(page, 'Todos');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByLabel('New todo')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveText(/at least 1 character/);
  await expect(page.getByText('Nothing to do')).toBeVisible();
});
