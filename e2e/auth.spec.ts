import { expect, test } from '@playwright/test';
import { newUser, signInViaUi, signUpViaApi } from './support/users';

test('sign up, sign out and sign in again', async ({ page }) => {
  const user = newUser('journey');
  await page.goto('/signup');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/catalog$/);

  await page.getByRole('button', { name: 'Sign out' }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/signin/);

  await signInViaUi(page, user);
  await page.getByRole('link', { name: 'Settings' }).filter({ visible: true }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByText(user.email).filter({ visible: true }).first()).toBeVisible();
});

test('a wrong password shows an error and does not sign in', async ({ page, request }) => {
  const user = newUser('wrongpw');
  await signUpViaApi(request, user);
  await page.goto('/signin');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(`${user.password}-nope`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('form-error')).toContainText('do not match');
  await expect(page).toHaveURL(/\/signin/);
});

test('sign-up explains invalid input and a taken email', async ({ page, request }) => {
  const existing = newUser('taken');
  await signUpViaApi(request, existing);
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Someone');
  await page.getByLabel('Email').fill(existing.email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
  await page.getByLabel('Password').fill('long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('form-error')).toContainText('already exists');
});

test('an unauthenticated visit to a protected page redirects to sign-in', async ({ page }) => {
  for (const path of ['/catalog', '/flows', '/templates', '/settings']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  }
});

test('an API call without credentials gets 401 JSON', async ({ request }) => {
  const response = await request.get('/api/me');
  expect(response.status()).toBe(401);
  expect(response.headers()['content-type']).toContain('application/json');
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('unauthorized');
  expect(body.error.message).toMatch(/Sign in/);
});

test('health is public and reports version and database kind', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: 'sqlite' });
});

test('unknown API paths answer 404 JSON', async ({ request }) => {
  const response = await request.get('/api/does-not-exist/at/all');
  expect(response.status()).toBe(404);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
});

test('wrong passwords back off progressively instead of locking the owner out', async ({ page, request }) => {
  const user = newUser('backoff');
  await signUpViaApi(request, user);
  await page.goto('/signin');
  await page.getByLabel('Email').fill(user.email);
  // Five wrong passwords are answered at once; after them each one must wait longer (1 s, 2 s, 4 s, …).
  let wrong = 0;
  let refused = 0;
  while (wrong < 8) {
    await page.getByLabel('Password').fill(`wrong-${wrong}-${refused}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const error = page.getByTestId('form-error');
    await expect(error).toContainText(/do not match|Too many wrong passwords/);
    if ((await error.textContent())?.includes('do not match')) wrong++;
    else {
      refused++;
      await page.waitForTimeout(500);
    }
  }
  expect(refused).toBeGreaterThan(0);
  // Within the wait even the right password is refused unchecked, with a clear message …
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('form-error')).toContainText('Too many wrong passwords');
  await expect(page).toHaveURL(/\/signin/);
  // … and once it has passed, the owner signs in: nobody is locked out for good.
  await page.waitForTimeout(4_500);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog$/);
});

test('a session cookie replayed after sign-out is 401 on the API', async ({ page, playwright, baseURL }) => {
  const user = newUser('replay');
  await page.goto('/signup');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => /next-auth\.session-token/.test(c.name));
  expect(session).toBeDefined();
  const replay = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Cookie: `${session!.name}=${session!.value}` } });
  expect((await replay.get('/api/me')).status()).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  const after = await replay.get('/api/me');
  expect(after.status()).toBe(401);
  expect(((await after.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  await replay.dispose();
});
