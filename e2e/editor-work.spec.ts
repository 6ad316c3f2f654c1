import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { newUser, signInViaApi, signUpViaApi } from './support/users';

/**
 * No lost work (issue 10): the recovery copy brings back edits the server refused, a save that
 * conflicts with another tab is offered as a choice, versions can be compared and restored, and
 * steps copy from one flow to another.
 */
mkdirSync('e2e/screenshots', { recursive: true });
test.use({ viewport: { width: 1440, height: 900 } });

const chain = (messages: string[]) => ({
  schemaVersion: 2,
  name: 'Chain',
  nodes: [
    { id: 'start', type: 'manual.trigger', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} } },
    ...messages.map((m, i) => ({
      id: `log${i}`,
      type: 'toolbox.log',
      typeVersion: 1,
      name: m,
      position: { x: 300 * (i + 1), y: 0 },
      params: { inputs: { message: m } },
    })),
  ],
  edges: messages.map((_, i) => ({
    id: `e${i}`,
    from: { node: i === 0 ? 'start' : `log${i - 1}`, handle: 'next' },
    to: { node: `log${i}` },
  })),
});

async function signedIn(page: Page, label: string) {
  const user = newUser(label);
  await signUpViaApi(page.request, user);
  await signInViaApi(page.request, user);
}

async function createFlow(page: Page, baseURL: string, name: string, document: unknown): Promise<string> {
  const res = await page.request.post('/api/flows', { headers: { Origin: baseURL }, data: { name, document } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { flow: { id: string } }).flow.id;
}

const saveState = (page: Page) => page.getByTestId('save-status');

test('the recovery copy restores edits made while the server refused saves', async ({ page, baseURL }) => {
  await signedIn(page, 'recovery');
  const id = await createFlow(page, baseURL!, 'Recover me', chain(['first']));
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('step-node')).toHaveCount(2);
  // The server refuses every save from now on.
  await page.route(`**/api/flows/${id}`, (route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unavailable', message: 'Down for maintenance.' } }),
        })
      : route.continue(),
  );
  await page.getByLabel('Flow name').fill('Recovered name');
  await expect(saveState(page)).toHaveAttribute('data-state', 'failed', { timeout: 10_000 });
  await expect(saveState(page)).toContainText('Down for maintenance');
  // The tab closes (the warning is skipped), the server comes back, the flow is opened again.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  const again = await page.context().newPage();
  await page.close({ runBeforeUnload: false });
  await again.goto(`/flows/${id}`);
  await expect(again.getByRole('alert').filter({ hasText: 'Unsaved changes' })).toBeVisible();
  await again.getByRole('button', { name: 'Restore them' }).click();
  await expect(again.getByLabel('Flow name')).toHaveValue('Recovered name');
  await expect(again.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
  const saved = (await (await again.request.get(`/api/flows/${id}`)).json()) as { flow: { document: { name: string } } };
  expect(saved.flow.document.name).toBe('Recovered name');
});

test('a save that conflicts with another tab is never silently overwritten', async ({ page, baseURL }) => {
  await signedIn(page, 'conflict');
  const id = await createFlow(page, baseURL!, 'Two tabs', chain(['first']));
  await page.goto(`/flows/${id}`);
  const other = await page.context().newPage();
  await other.goto(`/flows/${id}`);
  await expect(other.getByTestId('step-node')).toHaveCount(2);

  await other.getByLabel('Flow name').fill('Saved in the other tab');
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
  await page.getByLabel('Flow name').fill('Saved in this tab');
  await expect(page.getByTestId('conflict-bar')).toBeVisible({ timeout: 10_000 });
  const stored = (await (await page.request.get(`/api/flows/${id}`)).json()) as { flow: { document: { name: string } } };
  expect(stored.flow.document.name).toBe('Saved in the other tab');

  // Choosing "keep mine" saves on top of theirs, knowingly.
  await page.getByRole('button', { name: 'Keep mine and save it on top' }).click();
  await expect(saveState(page)).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
  const after = (await (await page.request.get(`/api/flows/${id}`)).json()) as { flow: { document: { name: string } } };
  expect(after.flow.document.name).toBe('Saved in this tab');
});

test('versions: compare an old version with now on the canvas, then restore it', async ({ page, baseURL }) => {
  await signedIn(page, 'versions');
  const id = await createFlow(page, baseURL!, 'Versioned', chain(['one', 'two']));
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('step-node')).toHaveCount(3);
  // Remove the last step and add a Fail step: version 2.
  await page.getByTestId('step-node').filter({ hasText: 'two' }).click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('step-node')).toHaveCount(2);
  await page.getByTestId('step-node').filter({ hasText: 'one' }).click();
  await page.keyboard.press('/');
  await page.getByPlaceholder('Add a step: type to search…').fill('Fail');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-node')).toHaveCount(3);
  await expect(saveState(page)).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });

  await page.getByRole('button', { name: 'Versions' }).click();
  const dialog = page.getByTestId('versions-dialog');
  await dialog.getByRole('button', { name: /^Version 1/ }).click();
  await expect(dialog.getByTestId('diff-summary')).toContainText('1 step added, 1 step removed');
  await expect(dialog.locator('[data-testid="step-node"][data-diff="added"]')).toHaveCount(1);
  await expect(dialog.locator('[data-testid="step-node"][data-diff="removed"]')).toHaveCount(1);
  await page.screenshot({ path: 'e2e/screenshots/editor-version-diff.png' });
  await dialog.getByRole('button', { name: 'Restore version 1' }).click();
  await expect(page.getByTestId('step-node').filter({ hasText: 'two' })).toBeVisible();
  await expect(saveState(page)).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
});

test('copy steps in one flow and paste them into another', async ({ page, baseURL }) => {
  await signedIn(page, 'paste');
  const from = await createFlow(page, baseURL!, 'From', chain(['copied one', 'copied two']));
  const to = await createFlow(page, baseURL!, 'To', chain([]));
  await page.goto(`/flows/${from}`);
  await page.getByTestId('step-node').filter({ hasText: 'copied one' }).click();
  await page
    .getByTestId('step-node')
    .filter({ hasText: 'copied two' })
    .click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  await expect(page.getByTestId('editor-message')).toContainText('Copied 2 steps');
  await page.goto(`/flows/${to}`);
  await expect(page.getByTestId('step-node')).toHaveCount(1);
  await page.locator('.react-flow__pane').click();
  await page.keyboard.press('Control+v');
  // The canvas draws only what is in view: fit the view to see every step.
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect(page.getByTestId('step-node')).toHaveCount(3);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1); // the connection between the two pasted steps
});
