import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createFlowViaApi, firstAccountId, mapField, node, sandboxContacts, sandboxToken, signedInWithSandbox } from './support/editor';

/**
 * Issue 10's logic journeys: an If branch tested live both ways, "Test this step" and the stale marks
 * on steps changed since their result; a For each over a Retrieve; a mapped value whose type does not
 * fit its column shown as a problem before anything runs; a test on a recent sandbox record; a lookup
 * found by searching the organization's records.
 */
mkdirSync('e2e/screenshots', { recursive: true });
test.use({ viewport: { width: 1440, height: 900 } });

const at = (x: number, y = 0) => ({ x, y });
const step = (
  id: string,
  type: string,
  name: string,
  x: number,
  inputs: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  y = 0,
) => ({
  id,
  type,
  typeVersion: 1,
  name,
  position: at(x, y),
  params: { inputs, ...extra },
});
const edge = (id: string, from: string, handle: string, to: string) => ({ id, from: { node: from, handle }, to: { node: to } });

const orderFlow = {
  schemaVersion: 2,
  name: 'Big or small order',
  nodes: [
    step('start', 'manual.trigger', 'Order placed', 0, { samplePayload: { amount: 500 } }),
    step('check', 'toolbox.if', 'Over 100?', 300, {
      condition: { match: 'all', rules: [{ left: { expr: '$trigger.amount' }, operator: 'gt', right: 100 }] },
    }),
    step('big', 'toolbox.log', 'Big order', 600, { message: { expr: '"Big order: " & $trigger.amount' } }, {}, -120),
    step('small', 'toolbox.log', 'Small order', 600, { message: { expr: '"Small order: " & $trigger.amount' } }, {}, 120),
  ],
  edges: [edge('e1', 'start', 'next', 'check'), edge('e2', 'check', 'then', 'big'), edge('e3', 'check', 'else', 'small')],
};

const runBar = (page: Page) => page.getByTestId('test-run-bar');
const inspector = (page: Page) => page.getByTestId('inspector');

async function runTest(page: Page, json?: unknown) {
  await page.getByRole('button', { name: 'Test flow' }).click();
  if (json !== undefined) await page.getByLabel('Trigger data (JSON)').fill(JSON.stringify(json));
  await page.getByRole('button', { name: 'Run the test' }).click();
  await expect(runBar(page)).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
}

test('an If branch tested both ways, then one step tested alone, with stale marks in between', async ({ page, baseURL }) => {
  await signedInWithSandbox(page, baseURL!, 'branch');
  const id = await createFlowViaApi(page, baseURL!, 'Big or small order', orderFlow);
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('problems-panel')).toContainText('No problems', { timeout: 15_000 });

  // The sample payload (500) takes the "then" branch; the "else" branch is skipped.
  await runTest(page);
  await expect(node(page, 'Big order')).toHaveAttribute('data-status', 'succeeded');
  await expect(node(page, 'Small order')).toHaveAttribute('data-status', 'skipped');
  await node(page, 'Big order').click();
  await expect(inspector(page).getByTestId('last-run')).toContainText('Big order: 500');

  // Raising the threshold makes the If and what follows it out of date.
  await node(page, 'Over 100?').click();
  const compared = inspector(page).getByRole('textbox', { name: 'Compared with' });
  await compared.fill('1000');
  await expect(node(page, 'Over 100?')).toHaveAttribute('data-stale', 'true');
  await expect(node(page, 'Big order')).toHaveAttribute('data-stale', 'true');
  await expect(node(page, 'Order placed')).not.toHaveAttribute('data-stale', 'true');
  await expect(inspector(page).getByTestId('stale-note')).toBeVisible();

  // Test just the If, on the last test's trigger data: it now says "else"; only it ran.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await inspector(page).getByRole('button', { name: 'Test this step' }).click();
  await expect(runBar(page)).toContainText('Test of Over 100?');
  await expect(runBar(page)).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(node(page, 'Over 100?')).not.toHaveAttribute('data-stale', 'true');
  await expect(node(page, 'Big order')).toHaveAttribute('data-stale', 'true'); // still the old result
  await expect(node(page, 'Big order')).toHaveAttribute('data-status', 'succeeded'); // kept from the earlier test
  await expect(inspector(page).getByTestId('last-run')).toContainText('"result": false');

  // The whole flow with a small amount takes the "else" branch.
  await runTest(page, { amount: 5 });
  await expect(node(page, 'Small order')).toHaveAttribute('data-status', 'succeeded');
  await expect(node(page, 'Big order')).toHaveAttribute('data-status', 'skipped');
  await expect(page.locator('[data-testid="step-node"][data-stale="true"]')).toHaveCount(0);
});

test('a For each over a Retrieve runs its body once per record', async ({ page, baseURL }) => {
  await signedInWithSandbox(page, baseURL!, 'foreach');
  const accountId = await firstAccountId(page);
  const id = await createFlowViaApi(page, baseURL!, 'Greet three contacts', {
    schemaVersion: 2,
    name: 'Greet three contacts',
    nodes: [
      step('start', 'manual.trigger', 'Start', 0, {}),
      step(
        'contacts',
        'dynamics.contact.retrieve',
        'Three contacts',
        300,
        { maxItems: 3, columns: ['firstname', 'lastname'] },
        { accountId },
      ),
      step('each', 'toolbox.for_each', 'Each contact', 600, { items: { expr: '$steps.contacts.output.records' } }),
      step('greet', 'toolbox.log', 'Say hello', 900, { message: { expr: '"Hello " & $item.lastname' } }, {}, -120),
      step('done', 'toolbox.log', 'All greeted', 900, { message: 'done' }, {}, 120),
    ],
    edges: [
      edge('e1', 'start', 'next', 'contacts'),
      edge('e2', 'contacts', 'next', 'each'),
      edge('e3', 'each', 'each', 'greet'),
      edge('e4', 'each', 'after', 'done'),
    ],
  });
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('problems-panel')).toContainText('No problems', { timeout: 15_000 });
  await runTest(page, {});
  for (const title of ['Three contacts', 'Each contact', 'Say hello', 'All greeted']) {
    await expect(node(page, title)).toHaveAttribute('data-status', 'succeeded');
  }
  // The run records the body once per record.
  const runId = (await runBar(page).getByRole('link', { name: 'Open the run' }).getAttribute('href'))!.split('/').pop()!;
  const run = (await (await page.request.get(`/api/runs/${runId}`)).json()) as {
    run: { steps: { nodeId: string; output: { message?: string } }[] };
  };
  const greetings = run.run.steps.filter((s) => s.nodeId === 'greet');
  expect(greetings).toHaveLength(3);
  for (const g of greetings) expect(g.output.message).toMatch(/^Hello \S/);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByText('Each contact').first()).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/run-for-each.png' });
});

test('a mapped value of the wrong type is a problem before running; a recent lead and a found account test it', async ({
  page,
  baseURL,
}) => {
  await signedInWithSandbox(page, baseURL!, 'mismatch');
  const accountId = await firstAccountId(page);
  const id = await createFlowViaApi(page, baseURL!, 'Contact from lead', {
    schemaVersion: 2,
    name: 'Contact from lead',
    nodes: [
      step('lead', 'dynamics.lead.new', 'New lead', 0, { intervalSeconds: 60 }, { accountId }),
      step(
        'contact',
        'dynamics.contact.create',
        'Create contact',
        320,
        { fields: { lastname: { expr: '$trigger.record.lastname' } } },
        { accountId },
      ),
    ],
    edges: [edge('e1', 'lead', 'next', 'contact')],
  });
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('problems-panel')).toContainText('No problems', { timeout: 15_000 });

  // A lead's last name (text) mapped into Loyalty Points (a whole number) is refused before any run.
  await node(page, 'Create contact').click();
  await expect(inspector(page).getByRole('button', { name: 'Map a value into Loyalty Points' })).toBeVisible({ timeout: 15_000 });
  await mapField(page, 'Loyalty Points', 'Last Name');
  const problems = page.getByTestId('problems-panel');
  await expect(problems).toContainText(
    /Last Name \(lastname\) of "New lead" is text, but Loyalty Points \(new_loyaltypoints\) takes a whole number/,
    {
      timeout: 15_000,
    },
  );
  await expect(inspector(page).locator('[data-field="fields.new_loyaltypoints"]').getByTestId('field-problems')).toContainText(
    'whole number',
  );
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await inspector(page).locator('[data-field="fields.new_loyaltypoints"]').getByRole('button', { name: 'Clear' }).click();
  await expect(problems).toContainText('No problems', { timeout: 15_000 });

  // A lookup found by name: the contact's company is an account of the organization.
  const company = inspector(page).locator('[data-field="fields.parentcustomerid"]');
  await company.getByRole('combobox', { name: /table/ }).selectOption('account');
  await company.getByTestId('lookup-trigger').click();
  const search = page.getByPlaceholder(/Search account names/);
  await search.fill('a');
  const firstAccount = page.getByRole('dialog').getByRole('option').first();
  const accountName = (await firstAccount.locator('span').first().textContent())!;
  await firstAccount.click();
  await expect(company.getByTestId('lookup-trigger')).toHaveText(new RegExp(accountName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(problems).toContainText('No problems', { timeout: 15_000 });

  // Test with a recent lead of the sandbox, picked by default: the contact is made from it.
  const token = await sandboxToken(page, baseURL!);
  const stamp = Date.now().toString(36);
  const created = await page.request.post(`${baseURL}/sandbox/api/data/v9.2/leads`, {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    data: { firstname: 'Recent', lastname: `Recent${stamp}`, subject: 'newest lead' },
  });
  expect(created.status()).toBe(204);
  await page.getByRole('button', { name: 'Test flow' }).click();
  await expect(page.getByRole('radio', { name: 'A recent lead record' })).toHaveAttribute('data-state', 'checked');
  await expect(page.getByRole('button', { name: new RegExp(`Recent Recent${stamp}`) })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('Trigger data (JSON)')).toHaveValue(new RegExp(`"lastname": "Recent${stamp}"`));
  await page.getByRole('button', { name: 'Run the test' }).click();
  await expect(runBar(page)).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  expect(await sandboxContacts(page, baseURL!, token, `Recent${stamp}`)).toHaveLength(1);

  // A past run's trigger data can be picked again.
  await page.getByRole('button', { name: 'Test flow' }).click();
  await page.getByRole('radio', { name: 'A past run' }).click();
  await page.getByRole('group', { name: 'Past runs of this flow' }).getByRole('button').first().click();
  await expect(page.getByLabel('Trigger data (JSON)')).toHaveValue(new RegExp(`Recent${stamp}`));
  await page.getByRole('button', { name: 'Cancel' }).click();
});

test('a flow built and wired from the keyboard alone: the step picker, selecting a step, connecting, deleting and undoing', async ({
  page,
  baseURL,
}) => {
  await signedInWithSandbox(page, baseURL!, 'keyboard');
  await page.goto('/flows/new');
  await expect(page.getByTestId('flow-editor')).toBeVisible();
  await page.locator('.react-flow__pane').focus();
  for (const query of ['Manual start', 'If', 'Log']) {
    await page.keyboard.press('/');
    await page.getByPlaceholder('Add a step: type to search…').fill(query);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('step-node')).toHaveCount(3);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2); // each inserted after the selected one

  // A second Log, then the If selected from the keyboard (focus the step, Enter) and its "else" output wired to it.
  await page.keyboard.press('/');
  await page.getByPlaceholder('Add a step: type to search…').fill('Log');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-node')).toHaveCount(4);
  const ifNode = page.locator('.react-flow__node').filter({ has: page.getByText('If', { exact: true }) });
  await ifNode.focus();
  await page.keyboard.press('Enter');
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByRole('heading', { name: 'Goes on to' })).toBeVisible();
  await inspector.getByLabel('From').selectOption({ label: 'else' });
  const target = inspector.getByLabel('Connect to');
  await target.focus();
  await target.selectOption({ index: 1 });
  await inspector.getByRole('button', { name: 'Connect', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await expect(inspector.getByTestId('connections')).toContainText('else →');

  // Delete the selected step with the keyboard, and bring it back with undo.
  await ifNode.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('step-node')).toHaveCount(3);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('step-node')).toHaveCount(4);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
});
