import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { connectSteps, dragFromPalette, mapField, node, sandboxContacts, sandboxToken, signedInWithSandbox } from './support/editor';

/**
 * The editor journey of issue 10, with real mouse drags: build "New lead → Create contact (first
 * name, last name and e-mail mapped from the lead) → Log" through the palette, the inspector and the
 * mapping picker; no problems; test it; start it; a new lead in the sandbox starts a run that
 * creates the contact.
 */
mkdirSync('e2e/screenshots', { recursive: true });
test.use({ viewport: { width: 1440, height: 900 } });

test('build, test and start New lead → Create contact → Log with drags and the mapping picker', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await signedInWithSandbox(page, baseURL!, 'editor');
  await page.goto('/flows/new');
  await expect(page).toHaveURL(/\/flows\/[0-9A-Z]{26}$/);
  await expect(page.getByTestId('flow-editor')).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/editor-empty.png' });

  await page.getByLabel('Flow name').fill('Contact for every new lead');

  // The trigger, dragged from the palette.
  await dragFromPalette(page, 'dynamics.lead.new', 0.15, 0.4);
  await expect(node(page, 'New lead')).toBeVisible();
  // The action and the Log step, dragged too, then connected handle to handle.
  await dragFromPalette(page, 'dynamics.contact.create', 0.45, 0.4);
  await dragFromPalette(page, 'toolbox.log', 0.75, 0.4);
  await connectSteps(page, node(page, 'New lead'), node(page, 'Create contact'));
  await connectSteps(page, node(page, 'Create contact'), node(page, 'Log'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // A connection into the trigger is refused as it is drawn.
  await connectSteps(page, node(page, 'Log'), node(page, 'New lead'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // The inspector: fields come from the sandbox organization's contact table; values mapped from the lead.
  await node(page, 'Create contact').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByLabel('Account')).toHaveValue(/.+/);
  await expect(inspector.getByRole('button', { name: 'Map a value into First Name' })).toBeVisible({ timeout: 15_000 });
  await mapField(page, 'First Name', 'First Name');
  await mapField(page, 'Last Name', 'Last Name');
  await mapField(page, 'Email', 'Email');
  await expect(inspector.getByTestId('mapping-chip')).toHaveCount(3);
  await page.screenshot({ path: 'e2e/screenshots/editor-mapping.png' });

  // Look for new leads every minute (the shortest interval), not every five.
  await node(page, 'New lead').click();
  await inspector.getByRole('spinbutton', { name: /^Interval seconds/ }).fill('60');

  await node(page, 'Log').click();
  await inspector.getByRole('textbox', { name: /^Message/ }).fill('Contact created for a new lead');

  // No problems once saved and validated with the organization's metadata.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await expect(page.getByTestId('problems-panel')).toContainText('No problems', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Tidy up' }).click();
  await page.getByRole('button', { name: 'Fit View' }).click();
  await page.screenshot({ path: 'e2e/screenshots/editor-built.png' });
  const axe = await new AxeBuilder({ page }).include('[data-testid="flow-editor"]').analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Test it with a lead's data: every step lights up.
  await page.getByRole('button', { name: 'Test flow' }).click();
  const stamp = Date.now().toString(36);
  await page.getByLabel('Trigger data (JSON)').fill(
    JSON.stringify({
      event: 'new',
      table: 'lead',
      id: '6f0e3a8e-0000-4000-8000-000000000001',
      record: { firstname: 'Ada', lastname: `Test${stamp}`, emailaddress1: `ada.${stamp}@example.test` },
    }),
  );
  await page.getByRole('button', { name: 'Run the test' }).click();
  await expect(page.getByTestId('test-run-bar')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(page.locator('[data-testid="step-node"][data-status="succeeded"]')).toHaveCount(3);
  const token = await sandboxToken(page, baseURL!);
  expect((await sandboxContacts(page, baseURL!, token, `Test${stamp}`)).map((c) => c.emailaddress1)).toEqual([`ada.${stamp}@example.test`]);

  // Start it, then a new lead in the sandbox starts a run that creates the contact.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('flow-status')).toHaveText('Started');
  await page.waitForTimeout(1_500); // the poller's first look sets its starting point
  const created = await page.request.post(`${baseURL}/sandbox/api/data/v9.2/leads`, {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    data: { firstname: 'Grace', lastname: `Live${stamp}`, emailaddress1: `grace.${stamp}@example.test`, subject: 'From the e2e journey' },
  });
  expect(created.status()).toBe(204);
  await expect
    .poll(async () => (await sandboxContacts(page, baseURL!, token, `Live${stamp}`)).length, { timeout: 120_000, intervals: [2_000] })
    .toBe(1);
});

test('undo and redo, autosave surviving a reload, and the step picker from the keyboard', async ({ page, baseURL }) => {
  await signedInWithSandbox(page, baseURL!, 'undo');
  await page.goto('/flows/new');
  await expect(page.getByTestId('flow-editor')).toBeVisible();
  await page.locator('.react-flow__pane').click();
  await page.keyboard.press('/');
  await page.getByPlaceholder('Add a step: type to search…').fill('Manual start');
  await page.keyboard.press('Enter');
  await expect(node(page, 'Manual start')).toBeVisible();
  await page.keyboard.press('/');
  await page.getByPlaceholder('Add a step: type to search…').fill('Log');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-node')).toHaveCount(2);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1); // inserted after the selected step

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('step-node')).toHaveCount(1);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByTestId('step-node')).toHaveCount(2);

  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await page.reload();
  await expect(page.getByTestId('step-node')).toHaveCount(2);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  // An expression with an error is shown inline, as it is typed; fixed, the error goes.
  await node(page, 'Log').click();
  const inspector = page.getByTestId('inspector');
  await inspector.getByRole('button', { name: 'Map a value into Message' }).click();
  await page.getByRole('button', { name: 'Write an expression (JSONata)…' }).click();
  const expression = inspector.getByRole('textbox', { name: 'Message (expression)' });
  await expression.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('1 +');
  const field = inspector.getByTestId('expression-field');
  await expect(field.locator('p[aria-live="polite"]')).not.toHaveText('', { timeout: 5_000 });
  await page.keyboard.type(' 2');
  await expect(field.locator('p[aria-live="polite"]')).toHaveText('');
  await page.locator('.react-flow__pane').click();
});
