import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { accountMenu, accountRow, chooseMenuItem, expandDynamics, openConnectDialog, SANDBOX } from './support/catalog';
import { seedFlow, setFlowStatus } from './support/seed-flow';
import { newUser, signInViaUi, signUpViaApi } from './support/users';

mkdirSync('e2e/screenshots', { recursive: true });

async function signedIn(page: Page, label: string) {
  const user = newUser(label);
  await signUpViaApi(page.request, user);
  await signInViaUi(page, user);
  return user;
}

async function connectWithPassword(page: Page, baseURL: string, overrides: Partial<typeof SANDBOX> = {}) {
  const creds = { ...SANDBOX, ...overrides };
  const dialog = await openConnectDialog(page);
  await dialog.getByLabel(/Username, password and client credentials/).check();
  await dialog.getByLabel('Service URL').fill(`${baseURL}/sandbox`);
  await dialog.getByLabel('Client ID').fill(creds.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(creds.clientSecret);
  await dialog.getByLabel('Username', { exact: true }).fill(creds.username);
  await dialog.getByLabel('Password', { exact: true }).fill(creds.password);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  return dialog;
}

test('the catalog lists Dynamics 365 for Sales first, then the toolbox, and searches by name', async ({ page }) => {
  await signedIn(page, 'browse');
  await page.goto('/catalog');
  await expect(page.getByTestId('app-card-dynamics')).toBeVisible();
  const titles = await page.locator('section h2').allTextContents();
  expect(titles[0]).toBe('Microsoft Dynamics 365 for Sales');
  expect(titles).toEqual(expect.arrayContaining(['Scheduler', 'HTTP request', 'API']));
  await page.screenshot({ path: 'e2e/screenshots/catalog-collapsed.png', fullPage: true });

  await page.getByLabel('Search applications').fill('sched');
  await expect(page.locator('section h2')).toHaveText(['Scheduler']);
  await page.getByLabel('Search applications').fill('');

  const card = await expandDynamics(page);
  for (const object of ['Accounts', 'Contacts', 'Invoices', 'Leads', 'Orders', 'Products']) {
    await expect(card.getByRole('heading', { name: object, exact: true, level: 4 })).toBeVisible();
  }
  await expect(card.getByText('Update or create').first()).toBeVisible();
  await card.getByRole('button', { name: /Show more configurable events/ }).click();
  await expect(card.getByRole('button', { name: 'Show fewer events' })).toBeVisible();
});

test('connect with username and password, then rename, test, update credentials and remove', async ({ page, baseURL }) => {
  await signedIn(page, 'password');
  const dialog = await connectWithPassword(page, baseURL!);
  await expect(dialog).toBeHidden();
  const row = accountRow(page, 'Account 1');
  await expect(row.getByTestId('account-health')).toHaveText('Connected');
  await expect(row).toContainText(`${baseURL}/sandbox`);
  await expect(row).toContainText('Signed in as');

  // Rename through the ⋮ menu, with the keyboard only.
  await row.getByRole('button', { name: 'Options for Account 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Account name')).toBeFocused();
  await page.getByLabel('Account name').fill('Sandbox sales');
  await page.keyboard.press('Enter');
  await expect(accountRow(page, 'Sandbox sales')).toBeVisible();
  await expect(accountMenu(page, 'Sandbox sales').button).toBeFocused();
  await page.reload();
  await expandDynamics(page);
  await expect(accountRow(page, 'Sandbox sales')).toBeVisible();

  await chooseMenuItem(page, 'Sandbox sales', 'Test connection');
  await expect(accountRow(page, 'Sandbox sales').getByTestId('account-notice')).toContainText('works');

  await chooseMenuItem(page, 'Sandbox sales', 'Refresh metadata');
  await expect(accountRow(page, 'Sandbox sales').getByTestId('account-notice')).toContainText(/Metadata refreshed: \d+ tables/);

  await chooseMenuItem(page, 'Sandbox sales', 'Update credentials');
  const update = page.getByRole('dialog');
  await expect(update.getByLabel('Service URL')).toHaveValue(`${baseURL}/sandbox`);
  await expect(update.getByLabel('Client secret', { exact: true })).toHaveValue('');
  await update.getByLabel('Password', { exact: true }).fill(SANDBOX.password);
  await update.getByRole('button', { name: 'Check and save' }).click();
  await expect(update).toBeHidden();
  await expect(accountRow(page, 'Sandbox sales').getByTestId('account-health')).toHaveText('Connected');

  // Telling the catalog when the client secret expires makes it warn two weeks ahead.
  const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await chooseMenuItem(page, 'Sandbox sales', 'Update credentials');
  await page
    .getByRole('dialog')
    .getByLabel(/Client secret expires on/)
    .fill(soon);
  await page.getByRole('dialog').getByRole('button', { name: 'Check and save' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(accountRow(page, 'Sandbox sales').getByTestId('account-health')).toHaveText('Credentials expiring soon');
  await expect(accountRow(page, 'Sandbox sales')).toContainText(`expires on ${soon}`);

  await chooseMenuItem(page, 'Sandbox sales', 'Remove');
  const confirm = page.getByRole('alertdialog', { name: 'Remove Sandbox sales?' });
  await expect(confirm).toHaveAccessibleDescription(/No flow uses this account/);
  await confirm.getByRole('button', { name: 'Remove account' }).click();
  await expect(accountRow(page, 'Sandbox sales')).toHaveCount(0);
});

test('renaming to a name already used is refused and the old name comes back', async ({ page, baseURL }) => {
  await signedIn(page, 'rename');
  await connectWithPassword(page, baseURL!);
  await expect(accountRow(page, 'Account 1')).toBeVisible();
  await connectWithPassword(page, baseURL!);
  await expect(accountRow(page, 'Account 2')).toBeVisible();

  await chooseMenuItem(page, 'Account 2', 'Rename');
  await page.getByLabel('Account name').fill('Account 1');
  await page.keyboard.press('Enter');
  await expect(accountRow(page, 'Account 2').getByTestId('account-notice')).toContainText('already');
  await expect(page.getByTestId('account-name')).toHaveText(['Account 1', 'Account 2']);
});

test('wrong credentials say what is wrong and keep what was typed, except secrets', async ({ page, baseURL }) => {
  await signedIn(page, 'wrong');
  const dialog = await connectWithPassword(page, baseURL!, { password: 'not-the-password' });
  await expect(dialog.getByTestId('form-error')).toContainText(/username or password/i);
  await expect(dialog.getByLabel('Service URL')).toHaveValue(`${baseURL}/sandbox`);
  await expect(dialog.getByLabel('Username', { exact: true })).toHaveValue(SANDBOX.username);
  await expect(dialog.getByLabel('Password', { exact: true })).toHaveValue('');
  await expect(dialog.getByLabel('Client secret', { exact: true })).toHaveValue('');

  await dialog.getByLabel('Client secret', { exact: true }).fill('wrong-secret');
  await dialog.getByLabel('Password', { exact: true }).fill(SANDBOX.password);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByTestId('form-error')).toContainText(/client secret/i);

  await dialog.getByLabel('Username', { exact: true }).fill('nobody@sandbox.local');
  await dialog.getByLabel('Client secret', { exact: true }).fill(SANDBOX.clientSecret);
  await dialog.getByLabel('Password', { exact: true }).fill(SANDBOX.password);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByTestId('form-error')).toContainText(/does not exist/i);

  await dialog.getByLabel('Username', { exact: true }).fill('mfa@sandbox.local');
  await dialog.getByLabel('Client secret', { exact: true }).fill(SANDBOX.clientSecret);
  await dialog.getByLabel('Password', { exact: true }).fill(SANDBOX.password);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByTestId('form-error')).toContainText(/multi-factor/i);

  await dialog.getByLabel('Username', { exact: true }).fill('noaccess@sandbox.local');
  await dialog.getByLabel('Client secret', { exact: true }).fill(SANDBOX.clientSecret);
  await dialog.getByLabel('Password', { exact: true }).fill(SANDBOX.password);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByTestId('form-error')).toContainText(/no access to this Dynamics 365 organization/i);

  await dialog.getByLabel('Username', { exact: true }).fill(SANDBOX.username);
  await dialog.getByLabel('Service URL').fill('https://contoso.example.com');
  await dialog.getByLabel('Client secret', { exact: true }).fill(SANDBOX.clientSecret);
  await dialog.getByLabel('Password', { exact: true }).fill(SANDBOX.password);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByTestId('form-error')).toContainText(/Dynamics/);
});

test('connect with tokens and client credentials, generating the tokens in the dialog', async ({ page, baseURL }) => {
  await signedIn(page, 'basic');
  const dialog = await openConnectDialog(page);
  await dialog.getByLabel(/Provide tokens and client credentials/).check();
  await dialog.getByLabel('Service URL').fill(`${baseURL}/sandbox`);
  await dialog.getByLabel('Client ID').fill(SANDBOX.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(SANDBOX.clientSecret);
  await dialog.getByRole('button', { name: 'Generate tokens' }).click();
  await dialog.getByLabel('Username', { exact: true }).fill(SANDBOX.username);
  await dialog.getByLabel('Password', { exact: true }).fill(SANDBOX.password);
  await dialog.getByRole('button', { name: 'Get tokens' }).click();
  await expect(dialog.getByText('Tokens generated')).toBeVisible();
  await expect(dialog.getByLabel('Access token', { exact: true })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog).toBeHidden();
  await expect(accountRow(page, 'Account 1').getByTestId('account-health')).toHaveText('Connected');
  await expect(accountRow(page, 'Account 1')).toContainText('Tokens and client credentials');
});

test('connect by signing in with Microsoft (the sandbox sign-in page) and come back highlighted', async ({ page, baseURL }) => {
  await signedIn(page, 'authcode');
  const dialog = await openConnectDialog(page);
  await dialog.getByLabel(/Sign in with Microsoft/).check();
  await dialog.getByRole('button', { name: 'Use the Dynamics 365 sandbox' }).click();
  await expect(dialog.getByLabel('Service URL')).toHaveValue(`${baseURL}/sandbox`);
  await dialog.getByRole('button', { name: 'Continue to sign-in' }).click();

  let callbackUrl = '';
  page.on('request', (request) => {
    if (request.url().includes('/api/accounts/oauth/callback')) callbackUrl = request.url();
  });
  await expect(page).toHaveURL(/\/sandbox\/login\/.+\/oauth2\/v2\.0\/authorize/);
  const pendingCookie = (await page.context().cookies()).find((c) => c.name === 'dfd_oauth');
  expect(pendingCookie).toBeDefined();
  await page.getByLabel(/user ?name|email/i).fill(SANDBOX.username);
  await page.getByLabel(/password/i).fill(SANDBOX.password);
  await page.getByRole('button', { name: /sign in/i }).click();

  await expect(page).toHaveURL(/\/catalog\?connected=/);
  const row = accountRow(page, 'Account 1');
  await expect(row.getByTestId('account-health')).toHaveText('Connected');
  await expect(row).toContainText('Microsoft sign-in');
  await expect(row).toHaveClass(/bg-brand-50/);

  // Replaying Microsoft's answer (same code and state), even with the original cookie put back, completes nothing.
  expect(callbackUrl).toContain('code=');
  await page.context().addCookies([pendingCookie!]);
  await page.goto(callbackUrl);
  await expect(page).toHaveURL(/\/catalog\?connectError=/);
  await expect(page.getByTestId('form-error')).toContainText(/already used|start again/i);
  await expandDynamics(page);
  await expect(page.getByTestId('account-row')).toHaveCount(1);
});

test('a tampered OAuth state is refused, with or without the sign-in in progress', async ({ page }) => {
  await signedIn(page, 'state');
  await page.goto('/api/accounts/oauth/callback?code=abc&state=forged');
  await expect(page).toHaveURL(/\/catalog\?connectError=/);

  // A real sign-in in progress (its cookie is set), answered with another state.
  const dialog = await openConnectDialog(page);
  await dialog.getByLabel(/Sign in with Microsoft/).check();
  await dialog.getByRole('button', { name: 'Use the Dynamics 365 sandbox' }).click();
  await dialog.getByRole('button', { name: 'Continue to sign-in' }).click();
  await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize/);
  expect((await page.context().cookies()).some((c) => c.name === 'dfd_oauth')).toBe(true);
  await page.goto('/api/accounts/oauth/callback?code=abc&state=forged');
  await expect(page).toHaveURL(/\/catalog\?connectError=/);
  await expect(page.getByTestId('form-error')).toContainText(/sign-in could not be completed|start again/i);
});

test("a second user does not see the first user's accounts", async ({ page, browser, baseURL }) => {
  await signedIn(page, 'first');
  await connectWithPassword(page, baseURL!);
  await expect(accountRow(page, 'Account 1')).toBeVisible();

  const other = await browser.newPage();
  await signedIn(other, 'second');
  await other.goto('/catalog');
  await expandDynamics(other);
  await expect(other.getByText('No accounts connected').first()).toBeVisible();
  await expect(other.getByTestId('account-row')).toHaveCount(0);
  const list = (await (await other.request.get('/api/accounts')).json()) as { accounts: unknown[] };
  expect(list.accounts).toHaveLength(0);
  await other.close();
});

test('no secret ever reaches the browser: API responses and catalog HTML are scanned', async ({ page, baseURL }) => {
  await signedIn(page, 'canary');
  const tokenResponse = await page.request.post(`${baseURL}/sandbox/login/organizations/oauth2/v2.0/token`, {
    form: {
      grant_type: 'password',
      client_id: SANDBOX.clientId,
      client_secret: SANDBOX.clientSecret,
      username: SANDBOX.username,
      password: SANDBOX.password,
      scope: `${baseURL}/sandbox/.default offline_access`,
    },
  });
  expect(tokenResponse.status()).toBe(200);
  const tokens = (await tokenResponse.json()) as { access_token: string; refresh_token: string };
  const canaries = [SANDBOX.clientSecret, tokens.access_token, tokens.refresh_token, tokens.refresh_token.slice(0, 24)];

  const pending: Promise<string>[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/sandbox')) return;
    pending.push(response.text().catch(() => ''));
  });

  const dialog = await openConnectDialog(page);
  await dialog.getByLabel(/Provide tokens and client credentials/).check();
  await dialog.getByLabel('Service URL').fill(`${baseURL}/sandbox`);
  await dialog.getByLabel('Access token', { exact: true }).fill(tokens.access_token);
  await dialog.getByLabel('Refresh token', { exact: true }).fill(tokens.refresh_token);
  await dialog.getByLabel('Client ID').fill(SANDBOX.clientId);
  await dialog.getByLabel('Client secret', { exact: true }).fill(SANDBOX.clientSecret);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog).toBeHidden();
  await connectWithPassword(page, baseURL!);
  await expect(accountRow(page, 'Account 2')).toBeVisible();
  await chooseMenuItem(page, 'Account 1', 'Test connection');
  await expect(accountRow(page, 'Account 1').getByTestId('account-notice')).toContainText('works');
  await chooseMenuItem(page, 'Account 1', 'Update credentials');
  await expect(page.getByRole('dialog').getByLabel('Access token', { exact: true })).toHaveValue('');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  const bodies = await Promise.all(pending);
  bodies.push(await page.content());
  bodies.push(await (await page.request.get('/api/accounts')).text());
  const all = bodies.join('\n');
  expect(all.length).toBeGreaterThan(1000);
  for (const canary of canaries) expect(all.includes(canary), `a secret leaked: ${canary.slice(0, 6)}…`).toBe(false);
});

test('accessibility: the catalog and the connect dialog have no serious or critical violations', async ({ page, baseURL }) => {
  await signedIn(page, 'a11y');
  await connectWithPassword(page, baseURL!);
  await expect(accountRow(page, 'Account 1')).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/catalog-expanded.png', fullPage: true });

  const serious = (results: Awaited<ReturnType<AxeBuilder['analyze']>>) =>
    results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

  expect(serious(await new AxeBuilder({ page }).analyze())).toEqual([]);

  const { button, menu } = accountMenu(page, 'Account 1');
  await button.click();
  await expect(menu.getByRole('menuitem')).toHaveText(['Rename', 'Update credentials', 'Test connection', 'Refresh metadata', 'Remove']);
  await page.screenshot({ path: 'e2e/screenshots/catalog-menu.png' });
  // The whole page with the menu open: the portalled menu and what it sits over.
  expect(serious(await new AxeBuilder({ page }).analyze())).toEqual([]);
  expect(serious(await new AxeBuilder({ page }).include('[role="menu"]').analyze())).toEqual([]);
  // And in dark mode, where the contrast of the items is its own.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'e2e/screenshots/catalog-menu-dark.png' });
  expect(serious(await new AxeBuilder({ page }).include('[role="menu"]').analyze())).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  const dialog = await openConnectDialog(page);
  await dialog.getByLabel(/Username, password and client credentials/).check();
  await page.screenshot({ path: 'e2e/screenshots/connect-dialog.png' });
  expect(serious(await new AxeBuilder({ page }).include('[role="dialog"]').analyze())).toEqual([]);
});

test('the account menu and dialogs by keyboard: typeahead, focus kept inside, focus back to the opener, no layout jump', async ({
  playwright,
  baseURL,
}) => {
  // Headless Chromium hides scrollbars; with them shown, a dialog that took the page's away would move the page.
  const { launchOptions } = test.info().project.use;
  const browser = await playwright.chromium.launch({ ...launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] });
  const page = await (await browser.newContext({ baseURL })).newPage();
  await signedIn(page, 'keyboard');
  await connectWithPassword(page, baseURL!);
  const row = accountRow(page, 'Account 1');
  await expect(row.getByTestId('account-health')).toHaveText('Connected');
  const { button, menu } = accountMenu(page, 'Account 1');
  const card = page.getByTestId('app-card-dynamics');
  // Where they sit on the page (not in the viewport: Playwright scrolls to what it clicks). By test id, since
  // an open dialog hides the page behind it from the accessibility tree.
  const layout = () =>
    Promise.all(
      [row, card, row.getByTestId('account-menu')].map((l) =>
        l.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
        }),
      ),
    );
  const before = await layout();
  expect(await page.evaluate(() => window.innerWidth - document.documentElement.clientWidth)).toBeGreaterThan(0);

  // Arrow down opens it on the first item; a typed letter jumps to the item it starts; End goes last; the arrows wrap.
  await button.focus();
  await page.keyboard.press('ArrowDown');
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  expect(await layout()).toEqual(before);
  await page.keyboard.press('t');
  await expect(menu.getByRole('menuitem', { name: 'Test connection' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Remove' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');

  // A click beside the menu closes it.
  await button.click();
  await expect(menu).toBeVisible();
  await page.getByRole('heading', { name: 'Catalog' }).click();
  await expect(menu).toBeHidden();

  // Update credentials: focus moves into the dialog and stays there; Escape closes it and focus is back on ⋮.
  await button.focus();
  await page.keyboard.press('Enter');
  // Each key only once the menu has taken the previous one (it opens and moves focus a frame later).
  await expect(menu.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await page.keyboard.press('u');
  await expect(menu.getByRole('menuitem', { name: 'Update credentials' })).toBeFocused();
  await page.keyboard.press('Enter');
  const update = page.getByRole('dialog', { name: 'Update credentials of Account 1' });
  await expect(update).toBeVisible();
  await expect(update).toHaveAccessibleDescription('The connection is checked again before anything is saved.');
  await expect(update.getByRole('button', { name: 'Close' })).toBeFocused();
  // The page behind stops scrolling (its scrollbar goes) and stays where it was.
  expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).toBe('hidden');
  expect(await layout()).toEqual(before);
  await page.keyboard.press('Shift+Tab');
  await expect(update.locator(':focus')).toHaveCount(1);
  for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
  await expect(update.locator(':focus')).toHaveCount(1);
  // A click on the backdrop keeps it: it may hold credentials being typed.
  await update.getByLabel('Password', { exact: true }).fill('typed');
  await page.mouse.click(4, 4);
  await expect(update.getByLabel('Password', { exact: true })).toHaveValue('typed');
  await page.keyboard.press('Escape');
  await expect(update).toBeHidden();
  await expect(button).toBeFocused();

  // Remove: a destructive confirmation that opens on Cancel; Escape leaves the account alone.
  await page.keyboard.press('Enter');
  await expect(menu.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Remove' })).toBeFocused();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('alertdialog', { name: 'Remove Account 1?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.screenshot({ path: 'e2e/screenshots/remove-account-dialog.png' });
  expect(await seriousViolations(page, '[role="alertdialog"]')).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(button).toBeFocused();
  await expect(row).toBeVisible();

  // Connect: its Close button and Cancel both hand focus back to Connect.
  const connect = card.getByRole('button', { name: 'Connect', exact: true });
  await connect.click();
  const dialog = page.getByRole('dialog', { name: 'Connect Microsoft Dynamics 365 for Sales' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(connect).toBeFocused();
  await connect.click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(connect).toBeFocused();
  expect(await layout()).toEqual(before);
  await browser.close();
});

test('first run: one click connects the built-in sandbox, and the callout goes away', async ({ page }) => {
  await signedIn(page, 'firstflow');
  await page.goto('/catalog');
  const callout = page.getByTestId('sandbox-callout');
  await callout.getByRole('button', { name: 'Connect the sandbox' }).click();
  const row = accountRow(page, 'Dynamics 365 sandbox');
  await expect(row.getByTestId('account-health')).toHaveText('Connected');
  await expect(row).toContainText('Sandbox');
  await expect(callout).toHaveCount(0);

  // Tables discovered through the account, custom ones included.
  await page.getByRole('button', { name: /Show more: tables discovered/ }).click();
  await expect(page.getByTestId('discovered-tables')).toContainText('new_project');
});

/** axe's serious and critical findings inside one part of the page. */
async function seriousViolations(page: Page, selector: string) {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('first run: the callout connects the second sandbox organization when chosen, under its own name', async ({ page, baseURL }) => {
  await signedIn(page, 'firstorg2');
  await page.goto('/catalog');
  const callout = page.getByTestId('sandbox-callout');
  await expect(callout.getByLabel(/Sandbox — Contoso \(main\)/)).toBeChecked();
  expect(await seriousViolations(page, '[data-testid="sandbox-callout"]')).toEqual([]);
  await callout.getByLabel(/Sandbox — Fabrikam \(second organization, a different schema\)/).check();
  await callout.getByRole('button', { name: 'Connect the sandbox' }).click();
  const row = accountRow(page, 'Dynamics 365 sandbox — Fabrikam');
  await expect(row.getByTestId('account-health')).toHaveText('Connected');
  await expect(row).toContainText(`${baseURL}/sandbox/org2`);
  await expect(callout).toHaveCount(0);
});

test("connect the sandbox's second organization through the dialog: its own values, name, user and schema", async ({ page, baseURL }) => {
  await signedIn(page, 'org2');
  const dialog = await openConnectDialog(page);
  await dialog.getByLabel(/Username, password and client credentials/).check();
  await dialog.getByRole('button', { name: 'Use the Dynamics 365 sandbox' }).click();
  const main = dialog.getByLabel(/Sandbox — Contoso \(main\)/);
  const fabrikam = dialog.getByLabel(/Sandbox — Fabrikam \(second organization, a different schema\)/);
  await expect(main).toBeChecked();
  await expect(dialog.getByLabel('Service URL')).toHaveValue(`${baseURL}/sandbox`);

  await fabrikam.check();
  await expect(dialog.getByTestId('sandbox-status')).toContainText('Fabrikam');
  await expect(dialog.getByLabel('Service URL')).toHaveValue(`${baseURL}/sandbox/org2`);
  await expect(dialog.getByLabel('Client ID')).toHaveValue('sandbox-org2-client');
  await expect(dialog.getByLabel('Username', { exact: true })).toHaveValue('sales@org2.sandbox.local');
  await expect(dialog.getByLabel('Client secret', { exact: true })).toBeDisabled();
  await expect(dialog.getByText('Leave empty for “Fabrikam sandbox 1”')).toBeVisible();
  expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog).toBeHidden();

  const second = accountRow(page, 'Fabrikam sandbox 1');
  await expect(second.getByTestId('account-health')).toHaveText('Connected');
  await expect(second).toContainText(`${baseURL}/sandbox/org2`);
  await expect(second).toContainText('sales@org2.sandbox.local');

  // And the first organization through the same dialog, for comparison.
  const again = await openConnectDialog(page);
  await again.getByLabel(/Username, password and client credentials/).check();
  await again.getByRole('button', { name: 'Use the Dynamics 365 sandbox' }).click();
  await again.getByLabel(/Sandbox — Fabrikam/).check();
  await again.getByLabel(/Sandbox — Contoso \(main\)/).check();
  await expect(again.getByLabel('Service URL')).toHaveValue(`${baseURL}/sandbox`);
  await expect(again.getByLabel('Client ID')).toHaveValue('sandbox-client');
  await again.getByRole('button', { name: 'Connect' }).click();
  await expect(again).toBeHidden();
  const first = accountRow(page, 'Account 1');
  await expect(first.getByTestId('account-health')).toHaveText('Connected');
  await expect(first).toContainText('sales@sandbox.local');

  // Each account discovers its own organization's tables: the Milestone table is the second's only.
  await expandDynamics(page);
  await page.getByRole('button', { name: /Show more: tables discovered/ }).click();
  const account = page.getByLabel('Account', { exact: true });
  await account.selectOption({ label: 'Fabrikam sandbox 1' });
  await expect(page.getByTestId('discovered-tables')).toContainText('new_milestone');
  await account.selectOption({ label: 'Account 1' });
  await expect(page.getByTestId('discovered-tables')).toContainText('new_project');
  await expect(page.getByTestId('discovered-tables')).not.toContainText('new_milestone');

  // What a step's inspector is built from: lead's columns differ by account (Lead Score is the second's).
  const lead = async (name: string) => {
    const id = await accountRow(page, name).getAttribute('data-account-id');
    const response = await page.request.get(`/api/connectors/dynamics?account=${id}&table=lead`);
    expect(response.status()).toBe(200);
    return response.text();
  };
  expect(await lead('Fabrikam sandbox 1')).toContain('new_leadscore');
  expect(await lead('Account 1')).not.toContain('new_leadscore');
});

test("in the flow editor, switching a step's account between the sandbox organizations changes its fields", async ({ page, baseURL }) => {
  await signedIn(page, 'org2editor');
  for (const sandboxOrganization of ['first', 'second']) {
    const created = await page.request.post('/api/accounts', {
      headers: { Origin: baseURL! },
      data: { method: 'password', useSandbox: true, sandboxOrganization },
    });
    expect(created.status(), await created.text()).toBe(201);
  }
  // Anything else is refused in plain words, not guessed.
  const refused = await page.request.post('/api/accounts', {
    headers: { Origin: baseURL! },
    data: { method: 'password', useSandbox: true, sandboxOrganization: 'third' },
  });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('Choose the first or the second sandbox organization.');

  await page.goto('/flows/new');
  await expect(page.getByTestId('flow-editor')).toBeVisible();
  const pane = page.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  await page
    .locator('[data-step-type="dynamics.lead.create"]')
    .dragTo(pane, { targetPosition: { x: box.width * 0.4, y: box.height * 0.4 } });
  await page.getByTestId('step-node').filter({ hasText: 'Create lead' }).click();
  const inspector = page.getByTestId('inspector');
  const account = inspector.getByLabel('Account', { exact: true });
  const leadScore = inspector.getByRole('button', { name: 'Map a value into Lead Score' });

  await account.selectOption({ label: 'Fabrikam sandbox 1' });
  await expect(leadScore).toBeVisible({ timeout: 15_000 });
  await account.selectOption({ label: 'Account 1' });
  await expect(inspector.getByRole('button', { name: 'Map a value into Last Name' })).toBeVisible({ timeout: 15_000 });
  await expect(leadScore).toHaveCount(0);
});

test('an account used by a running flow names it and cannot be removed until the flow is stopped', async ({ page }) => {
  await signedIn(page, 'inuse');
  await page.goto('/catalog');
  await page.getByTestId('sandbox-callout').getByRole('button', { name: 'Connect the sandbox' }).click();
  const row = accountRow(page, 'Dynamics 365 sandbox');
  await expect(row.getByTestId('account-health')).toHaveText('Connected');
  const me = (await (await page.request.get('/api/me')).json()) as { id: string };
  const accountId = (await row.getAttribute('data-account-id'))!;
  const flowId = seedFlow(me.id, 'Sync new leads', 'active', accountId);

  await page.reload();
  await expandDynamics(page);
  await expect(accountRow(page, 'Dynamics 365 sandbox')).toContainText('Used by Sync new leads');
  await chooseMenuItem(page, 'Dynamics 365 sandbox', 'Remove');
  const confirm = page.getByRole('alertdialog', { name: 'Remove Dynamics 365 sandbox?' });
  await expect(confirm).toHaveAccessibleDescription(/These flows use this account/);
  await expect(confirm.getByTestId('remove-flows')).toContainText('Sync new leads (running)');
  await expect(confirm).toContainText('Stop the running flows first');
  await expect(confirm.getByRole('button', { name: 'Remove account' })).toBeDisabled();
  await confirm.getByRole('button', { name: 'Cancel' }).click();

  // The server refuses it too, whatever the page shows.
  const refused = await page.request.delete(`/api/accounts/${accountId}`, { headers: { Origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('Sync new leads');

  setFlowStatus(flowId, 'stopped');
  await page.reload();
  await expandDynamics(page);
  await chooseMenuItem(page, 'Dynamics 365 sandbox', 'Remove');
  await expect(page.getByRole('alertdialog').getByTestId('remove-flows')).toContainText('Sync new leads');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove account' }).click();
  await expect(accountRow(page, 'Dynamics 365 sandbox')).toHaveCount(0);
});

test('the catalog shows our own message for a connectError code and never text from the address', async ({ page }) => {
  await signedIn(page, 'connect-error');
  // The callback sends the domain error's code, not its text.
  await page.goto('/api/accounts/oauth/callback?code=abc&state=forged');
  await expect(page).toHaveURL(/\/catalog\?connectError=sign_in_stale$/);
  await expect(page.getByTestId('form-error')).toContainText('already used');

  const planted = 'Your account is suspended. Call +1 555 0100 to restore it';
  await page.goto(`/catalog?connectError=${encodeURIComponent(planted)}`);
  await expect(page.getByTestId('form-error')).toHaveText('The Microsoft sign-in could not be completed. Start again from Connect.');
  await expect(page.getByText(planted)).toHaveCount(0);
  expect(await page.content()).not.toContain('555 0100');
});

test('the pages work under the Content-Security-Policy: no violation on sign-in, the catalog and connecting', async ({ page, baseURL }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await signedIn(page, 'csp');
  const dialog = await connectWithPassword(page, baseURL!);
  await expect(dialog).toBeHidden();
  await expect(accountRow(page, 'Account 1').getByTestId('account-health')).toHaveText('Connected');
  await page.goto('/settings');
  await expect(page.getByRole('heading').first()).toBeVisible();
  expect(violations).toEqual([]);
});
