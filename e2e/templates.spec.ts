import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { sandboxToken, signedInWithSandbox } from './support/editor';
import { newUser, signInViaApi, signUpViaApi } from './support/users';

/**
 * Issue 11's template journeys: find a template by search and filters; use one with the sandbox
 * account; see a column the first organization lacks reported, and fixed; land in the editor with
 * no problems; try it on a recent record; start it; see it running on the dashboard.
 */
mkdirSync('e2e/screenshots', { recursive: true });
test.use({ viewport: { width: 1440, height: 900 } });

const cards = (page: Page) => page.getByTestId('template-card');
const card = (page: Page, title: string) => cards(page).filter({ has: page.getByRole('heading', { name: title }) });
const search = (page: Page) => page.getByRole('searchbox', { name: 'Search templates' });
/** The results once the answer to the address' query is in (the previous ones stay while it loads). */
const settled = (page: Page) => expect(page.getByRole('list', { name: 'Templates' })).toHaveAttribute('aria-busy', 'false');

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Connects the second sandbox organization (lead has the custom Lead Score column there) as "Fabrikam sandbox 1". */
async function connectSecondOrganization(page: Page, baseURL: string) {
  const created = await page.request.post('/api/accounts', {
    headers: { Origin: baseURL },
    data: { method: 'password', useSandbox: true, sandboxOrganization: 'second' },
  });
  expect(created.status(), await created.text()).toBe(201);
}

test('the gallery: every template drawn, search by product, object and task kept in the address, filters, and an empty result', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(60_000);
  await signedInWithSandbox(page, baseURL!, 'gallery');
  await page.goto('/templates');
  await expect(cards(page).first()).toBeVisible();
  const total = await cards(page).count();
  expect(total).toBeGreaterThanOrEqual(12);
  await expect(page.getByTestId('template-count')).toHaveText(`${total} templates`);
  // Each card: title, summary, trigger and objects as tags, the time saved, a drawn preview.
  const invoice = card(page, 'Raise an invoice for every new order');
  await expect(invoice.getByRole('list', { name: 'Uses' })).toContainText('New order');
  await expect(invoice.getByRole('list', { name: 'Uses' })).toContainText('Invoice');
  await expect(invoice).toContainText('Saves re-entering each order');
  await expect(invoice.getByRole('img', { name: /^Flow preview: Order created, then / })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: 'e2e/screenshots/templates-gallery.png', fullPage: true });

  // What people are told to type finds them all, not none.
  await search(page).fill('Microsoft Dynamics 365 for Sales');
  await expect(page).toHaveURL(/\?q=Microsoft\+Dynamics\+365\+for\+Sales$/);
  await expect(page.getByTestId('template-count')).toHaveText(`${total} templates`);

  // An object, through the server's search (debounced into the address).
  await search(page).fill('invoices');
  await expect(page).toHaveURL(/\?q=invoices$/);
  await settled(page);
  await expect(card(page, 'Raise an invoice for every new order')).toBeVisible();
  await expect(card(page, 'Score new leads from what they tell you')).toHaveCount(0);
  const invoiceHits = await cards(page).count();
  expect(invoiceHits).toBeLessThan(total);

  // A task word; the address reloads to the same result.
  await search(page).fill('clean up');
  await expect(page).toHaveURL(/\?q=clean\+up$/);
  await expect(card(page, 'Clean up leads nobody touched for 180 days')).toBeVisible();
  await page.reload();
  await expect(search(page)).toHaveValue('clean up');
  await expect(card(page, 'Clean up leads nobody touched for 180 days')).toBeVisible();

  // Filters: by trigger kind and by object, keyboard reachable toggle buttons.
  await search(page).fill('');
  await expect(page).toHaveURL(/\/templates$/);
  const triggers = page.getByTestId('trigger-filter');
  await triggers.getByRole('radio', { name: 'Schedule' }).click();
  await expect(page).toHaveURL(/trigger=scheduler/);
  await expect(triggers.getByRole('radio', { name: 'Schedule' })).toHaveAttribute('aria-checked', 'true');
  await settled(page);
  const scheduled = await cards(page).count();
  expect(scheduled).toBeLessThan(total);
  for (const tags of await cards(page).getByRole('list', { name: 'Uses' }).all()) await expect(tags).toContainText('Schedule');
  await page.getByTestId('object-filter').getByRole('radio', { name: 'Invoice' }).click();
  await expect(page).toHaveURL(/object=invoice/);
  await settled(page);
  expect(await cards(page).count()).toBeLessThan(scheduled);
  for (const tags of await cards(page).getByRole('list', { name: 'Uses' }).all()) {
    await expect(tags).toContainText('Schedule');
    await expect(tags).toContainText('Invoice');
  }

  // Nothing matches: it says so and offers to clear.
  await search(page).fill('submarine periscope');
  await expect(page.getByTestId('templates-empty')).toContainText('No template matches');
  await expect(page.getByTestId('templates-empty')).toContainText('“submarine periscope” with these filters');
  await page.getByTestId('templates-empty').getByRole('button', { name: 'Clear search and filters' }).click();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(search(page)).toHaveValue('');
  await expect(cards(page)).toHaveCount(total);

  // A card opens its template with the keyboard.
  await card(page, 'Raise an invoice for every new order').getByRole('link').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/templates\/invoice-new-orders$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Raise an invoice for every new order' })).toBeVisible();
});

test('use a template as it is with the sandbox account: verified, fits, and the draft opens with no problems', async ({
  page,
  baseURL,
}) => {
  await signedInWithSandbox(page, baseURL!, 'usetpl');
  await page.goto('/templates?q=invoice');
  await card(page, 'Raise an invoice for every new order').getByRole('link').click();
  const panel = page.getByTestId('use-template');
  await expect(panel.getByLabel('Dynamics 365 for Sales account')).toHaveValue(/.+/);
  await expect(panel.getByLabel('Dynamics 365 for Sales account').locator('option:checked')).toHaveText('Sales sandbox — sandbox');
  await expect(panel.getByTestId('account-check')).toHaveAttribute('data-works', 'true');
  await expect(panel.getByTestId('account-check')).toContainText('Sales sandbox works');
  await expect(panel.getByTestId('template-fits')).toBeVisible();
  // The preview names the chosen account on its Dynamics steps.
  await expect(page.getByRole('group', { name: "Preview of the template's flow" }).getByTestId('step-node').first()).toContainText(
    'Sales sandbox',
  );
  await panel.getByRole('button', { name: 'Create draft' }).click();
  await expect(page).toHaveURL(/\/flows\/[^/?]+$/);
  await expect(page.getByTestId('flow-editor')).toBeVisible();
  await expect(page.getByTestId('problems-panel')).toContainText('No problems: this flow can be tested and started.');
  await expect(page.getByLabel('Flow name')).toHaveValue('Raise an invoice for every new order');
});

test('a column the organization lacks is reported with its fix; fixed, the draft is tried on a recent record, started and running on the dashboard', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(90_000);
  await signedInWithSandbox(page, baseURL!, 'leadscore');
  await connectSecondOrganization(page, baseURL!);
  await page.goto('/templates');
  await search(page).fill('lead score');
  await expect(page).toHaveURL(/\?q=lead\+score$/);
  await card(page, 'Score new leads from what they tell you').getByRole('link').click();

  const panel = page.getByTestId('use-template');
  const account = panel.getByLabel('Dynamics 365 for Sales account (with the Lead Score column)');
  await expect(account.locator('option:checked')).toHaveText('Sales sandbox — sandbox');
  await expect(panel.getByTestId('account-check')).toContainText('Sales sandbox works');
  // The first organization's lead has no Lead Score column: the step and field are named, with the fix.
  const mismatch = panel.getByTestId('mismatch').filter({ hasText: 'new_leadscore' });
  await expect(mismatch).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Step Write the score and rating' })).toContainText('new_leadscore');
  await expect(panel.getByTestId('create-blocker')).toHaveText('Choose a fix for the mismatch, or another account.');
  await expect(panel.getByRole('button', { name: 'Create draft' })).toBeDisabled();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: 'e2e/screenshots/template-preview.png', fullPage: true });

  // The second organization has the column: nothing to fix there.
  await account.selectOption({ label: 'Fabrikam sandbox 1 — sandbox' });
  await expect(panel.getByTestId('account-check')).toContainText('Fabrikam sandbox 1 works');
  await expect(panel.getByTestId('template-fits')).toBeVisible();
  await expect(panel.getByTestId('mismatch')).toHaveCount(0);

  // Back to the first, and the fix chosen instead: the score field is left out.
  await account.selectOption({ label: 'Sales sandbox — sandbox' });
  await expect(mismatch).toBeVisible();
  await mismatch.getByRole('radio', { name: /Leave this field out/ }).check();
  await expect(panel.getByTestId('create-blocker')).toHaveCount(0);
  await panel.getByLabel('Flow name').fill('Rate new leads');
  // The newest lead of the organization, which the Test dialog then offers first: complete enough to rate Hot.
  const token = await sandboxToken(page, baseURL!);
  const stamp = Date.now().toString(36);
  const lead = await page.request.post(`${baseURL}/sandbox/api/data/v9.2/leads`, {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Prefer: 'return=representation' },
    data: {
      firstname: 'Tried',
      lastname: `Tried${stamp}`,
      subject: 'template try-out',
      companyname: 'Northwind',
      jobtitle: 'Head of purchasing',
      telephone1: '+1 555 0100',
      emailaddress1: `tried${stamp}@example.test`,
      revenue: 2_000_000,
      leadqualitycode: 3,
    },
  });
  expect(lead.status(), await lead.text()).toBe(201);
  const leadId = ((await lead.json()) as { leadid: string }).leadid;
  await panel.getByRole('button', { name: 'Create and try it on a recent record' }).click();

  // The editor: no problems, and its Test dialog open on a recent lead of the trigger's table.
  await expect(page).toHaveURL(/\/flows\/[^/?]+$/);
  await expect(page.getByTestId('problems-panel')).toContainText('No problems: this flow can be tested and started.');
  const dialog = page.getByRole('dialog', { name: 'Test this flow' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'A recent lead record' })).toBeChecked();
  await expect(dialog.getByRole('button', { name: new RegExp(`Tried Tried${stamp}`) })).toHaveAttribute('aria-pressed', 'true');
  await expect(dialog.getByLabel('Trigger data (JSON)')).toHaveValue(new RegExp(`"id": "${leadId}"`));
  await dialog.getByRole('button', { name: 'Run the test' }).click();
  await expect(page.getByTestId('test-run-bar')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  // The test did the flow's work on that lead: rated Hot.
  const after = await page.request.get(`${baseURL}/sandbox/api/data/v9.2/leads(${leadId})?$select=leadqualitycode`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(((await after.json()) as { leadqualitycode: number }).leadqualitycode).toBe(1);

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('flow-status')).toHaveText('Started');

  await page.goto('/flows');
  const row = page.getByRole('row').filter({ hasText: 'Rate new leads' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Running');
});

test('a choice the organization lacks: another of its own values is picked, and the draft carries it', async ({ page, baseURL }) => {
  await signedInWithSandbox(page, baseURL!, 'choicefix');
  await connectSecondOrganization(page, baseURL!);
  await page.goto('/templates/capture-web-leads');
  const panel = page.getByTestId('use-template');
  await panel.getByLabel('Dynamics 365 for Sales account').selectOption({ label: 'Fabrikam sandbox 1 — sandbox' });
  await expect(panel.getByTestId('account-check')).toContainText('Fabrikam sandbox 1 works');
  // The second organization's Lead Source has no "Web": its own choices are offered instead.
  const mismatch = panel.getByTestId('mismatch').filter({ hasText: 'leadsourcecode' });
  await expect(mismatch).toBeVisible();
  await expect(mismatch.getByRole('radio')).toHaveCount(6);
  await expect(panel.getByRole('button', { name: 'Create draft' })).toBeDisabled();
  await mismatch.getByRole('radio', { name: 'Use “LinkedIn” instead' }).check();
  await panel.getByRole('button', { name: 'Create draft' }).click();

  await expect(page).toHaveURL(/\/flows\/[^/?]+$/);
  await expect(page.getByTestId('problems-panel')).toContainText('No problems: this flow can be tested and started.');
  const flowId = new URL(page.url()).pathname.split('/').pop()!;
  const flow = await page.request.get(`/api/flows/${flowId}`);
  expect(await flow.text()).toContain('"leadsourcecode":100000002');
});

test('with no account yet, a template points to the Catalog to connect one', async ({ page }) => {
  const user = newUser('noaccount');
  await signUpViaApi(page.request, user);
  await signInViaApi(page.request, user);
  await page.goto('/templates/invoice-new-orders');
  const none = page.getByTestId('no-accounts');
  await expect(none).toContainText('you have none yet');
  await expect(none.getByRole('link', { name: 'Connect one on the Catalog' })).toHaveAttribute('href', '/catalog');
  await expect(page.getByRole('button', { name: 'Create draft' })).toBeDisabled();
  await expect(page.getByTestId('create-blocker')).toHaveText('Connect an account first.');
});
