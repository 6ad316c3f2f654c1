import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

export function newUser(label = 'user'): TestUser {
  const id = randomUUID().slice(0, 8);
  return { name: `${label} ${id}`, email: `${label}-${id}@example.test`, password: `pw-${randomUUID()}` };
}

export async function signUpViaApi(request: APIRequestContext, user: TestUser): Promise<void> {
  const response = await request.post('/api/signup', { data: user });
  expect(response.status(), await response.text()).toBe(201);
}

/** Signs the request context in through next-auth's credentials endpoint, leaving the session cookie in it. */
export async function signInViaApi(request: APIRequestContext, user: TestUser): Promise<void> {
  const csrf = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken: csrf.csrfToken, email: user.email, password: user.password, json: 'true' },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const me = await request.get('/api/me');
  expect(me.status()).toBe(200);
}

/** A personal API token for the user, created through the session as the Settings page does. */
export async function createTokenViaApi(request: APIRequestContext, baseURL: string, name = 'e2e'): Promise<string> {
  const response = await request.post('/api/tokens', { data: { name, expiresInDays: 30 }, headers: { Origin: baseURL } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

export async function signInViaUi(page: Page, user: TestUser): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog$/);
}
