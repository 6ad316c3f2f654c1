import { expect, test } from '@playwright/test';
import { newUser } from './support/users';

test.describe.serial('first run on a fresh install', () => {
  const admin = newUser('admin');

  test('opening the app leads to sign-up, then the signed-in shell', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/signup$/);
    await expect(page.getByRole('heading', { name: 'Set up Dynamics Flow Designer' })).toBeVisible();

    await page.getByLabel('Name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await expect(page).toHaveURL(/\/catalog$/);
    await expect(page.getByRole('heading', { name: 'Catalog' })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' }).first();
    for (const label of ['Catalog', 'Flows', 'Templates', 'Settings']) {
      await expect(nav.getByRole('link', { name: label })).toBeVisible();
    }
    await expect(page.getByTestId('user-name').first()).toHaveText(admin.name);
  });

  test('after the first user exists, the sign-in page no longer redirects to sign-up', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });
});
