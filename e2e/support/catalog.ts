import { expect, type Page } from '@playwright/test';

export const SANDBOX = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', username: 'sales@sandbox.local', password: 'sandbox' };

export async function openConnectDialog(page: Page) {
  await page.goto('/catalog');
  await page.getByTestId('app-card-dynamics').getByRole('button', { name: 'Connect' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

export function accountRow(page: Page, name: string) {
  return page.getByTestId('account-row').filter({ has: page.getByTestId('account-name').getByText(name, { exact: true }) });
}

export async function expandDynamics(page: Page) {
  const card = page.getByTestId('app-card-dynamics');
  const toggle = card.getByRole('button', { name: /(Show|Hide) details/ });
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  return card;
}

/** The ⋮ button of an account and the menu it opens (Radix portals the menu out of the row; the button names it). */
export function accountMenu(page: Page, accountName: string) {
  return {
    button: accountRow(page, accountName).getByRole('button', { name: `Options for ${accountName}` }),
    menu: page.getByRole('menu', { name: `Options for ${accountName}` }),
  };
}

export async function chooseMenuItem(page: Page, accountName: string, item: string) {
  const { button, menu } = accountMenu(page, accountName);
  await button.click();
  await menu.getByRole('menuitem', { name: item, exact: true }).click();
  await expect(menu).toBeHidden();
}
