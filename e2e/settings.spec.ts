import { expect, test } from '@playwright/test';
import { newUser, signInViaApi, signInViaUi, signUpViaApi } from './support/users';

test('create a personal API token in Settings, use it, and revoke it', async ({ page, request, playwright, baseURL }) => {
  const user = newUser('tokens');
  await signUpViaApi(request, user);
  await signInViaUi(page, user);
  await page.goto('/settings');
  await expect(page.getByText('You have no API tokens.')).toBeVisible();

  await page.getByLabel('Token name').fill('CI script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^dfd_[A-Za-z0-9_-]{43}$/);
  // Every token expires: there is no "Never", and the list says when.
  await expect(page.getByLabel('Expires').locator('option')).toHaveText(['In 30 days', 'In 90 days', 'In a year']);
  await expect(page.getByRole('list', { name: 'API tokens' })).toContainText('expires');

  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const me = await client.get('/api/me');
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { email: string }).email).toBe(user.email);

  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  // The token list never shows the secret again.
  expect(await page.content()).not.toContain(secret);

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: /Revoke CI script/ }).click();
  await expect(page.getByText('You have no API tokens.')).toBeVisible();
  const after = await client.get('/api/me');
  expect(after.status()).toBe(401);
  expect(((await after.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
  await client.dispose();
});

test('"Sign out everywhere" ends every session of the account, this one included', async ({ page, playwright, baseURL }) => {
  const user = newUser('everywhere');
  const elsewhere = await playwright.request.newContext({ baseURL });
  await signUpViaApi(elsewhere, user);
  await signInViaApi(elsewhere, user);
  await signInViaUi(page, user);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await elsewhere.get('/api/me')).status()).toBe(401);
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/signin/);
  await elsewhere.dispose();
});
