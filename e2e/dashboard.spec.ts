import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createTokenViaApi, newUser, signInViaUi, signUpViaApi } from './support/users';

mkdirSync('e2e/screenshots', { recursive: true });

/** An API-triggered flow that answers the caller, or fails on purpose when the body says `fail: true`. */
function apiFlow(name: string) {
  return {
    name,
    description: 'Answers the caller; fails when asked to.',
    document: {
      schemaVersion: 2,
      name,
      nodes: [
        {
          id: 'request',
          type: 'api.request',
          typeVersion: 1,
          name: 'Incoming call',
          position: { x: 0, y: 0 },
          params: { inputs: { method: 'POST' } },
        },
        {
          id: 'check',
          type: 'toolbox.if',
          typeVersion: 1,
          name: 'Asked to fail?',
          position: { x: 240, y: 0 },
          params: {
            inputs: { condition: { match: 'all', rules: [{ left: { expr: '$trigger.body.fail' }, operator: 'eq', right: true }] } },
          },
        },
        {
          id: 'giveup',
          type: 'toolbox.fail',
          typeVersion: 1,
          name: 'Give up',
          position: { x: 480, y: -80 },
          params: { inputs: { message: 'Asked to fail', code: 'asked_to_fail' } },
        },
        {
          id: 'answer',
          type: 'api.response',
          typeVersion: 1,
          name: 'Answer',
          position: { x: 480, y: 80 },
          params: { inputs: { status: 200, body: { ok: true } } },
        },
      ],
      edges: [
        { id: 'e1', from: { node: 'request', handle: 'next' }, to: { node: 'check' } },
        { id: 'e2', from: { node: 'check', handle: 'then' }, to: { node: 'giveup' } },
        { id: 'e3', from: { node: 'check', handle: 'else' }, to: { node: 'answer' } },
      ],
    },
  };
}

/** A manual flow that logs; `broken` gives its message an expression that does not parse. */
function manualFlow(name: string, broken = false) {
  return {
    name,
    document: {
      schemaVersion: 2,
      name,
      nodes: [
        { id: 'start', type: 'manual.trigger', typeVersion: 1, name: 'Start by hand', position: { x: 0, y: 0 }, params: { inputs: {} } },
        {
          id: 'note',
          type: 'toolbox.log',
          typeVersion: 1,
          name: 'Note it',
          position: { x: 240, y: 0 },
          params: { inputs: { level: 'info', message: broken ? { expr: '"unfinished" &' } : 'Hello from the dashboard journey' } },
        },
      ],
      edges: [{ id: 'e1', from: { node: 'start', handle: 'next' }, to: { node: 'note' } }],
    },
  };
}

async function expectNoSeriousA11yIssues(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

async function createFlow(api: APIRequestContext, body: unknown): Promise<string> {
  const created = await api.post('/api/flows', { data: body });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { flow: { id: string } }).flow.id;
}

async function waitForRunEnd(api: APIRequestContext, runId: string): Promise<string> {
  let status = '';
  await expect
    .poll(
      async () => {
        status = ((await (await api.get(`/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status;
        return ['succeeded', 'failed', 'cancelled'].includes(status);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return status;
}

const rowOf = (page: Page, name: string) =>
  page.getByTestId('flow-row').filter({ has: page.getByTestId('flow-name').getByText(name, { exact: true }) });

async function chooseFromMenu(page: Page, flowName: string, item: string) {
  await rowOf(page, flowName)
    .getByRole('button', { name: `Options for ${flowName}` })
    .click();
  await page
    .getByRole('menu', { name: `Options for ${flowName}` })
    .getByRole('menuitem', { name: item })
    .click();
}

test('flows dashboard: empty state, states and figures, search and sort in the address, the ⋮ menu, 24 h runs', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const user = newUser('dash');
  const tag = user.name.split(' ')[1]!;
  await signUpViaApi(page.request, user);
  await signInViaUi(page, user);

  // A new user: the dashboard points to the templates and to a blank flow.
  await page.goto('/flows');
  await expect(page.getByRole('heading', { name: 'No flows yet' })).toBeVisible();
  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: 'Start from a template' })).toHaveAttribute('href', '/templates');
  await expect(main.getByRole('link', { name: 'Blank flow' })).toHaveAttribute('href', '/flows/new');
  await expectNoSeriousA11yIssues(page);

  // Three flows through the API: an API flow, a manual flow, and a draft with a problem.
  const token = await createTokenViaApi(page.request, baseURL!, 'dashboard-journey');
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const answerer = `Answerer ${tag}`;
  const manual = `Manual log ${tag}`;
  const broken = `Broken draft ${tag}`;
  const answererId = await createFlow(api, apiFlow(answerer));
  const manualId = await createFlow(api, manualFlow(manual));
  await createFlow(api, manualFlow(broken, true));

  // One test run of the manual flow: it counts in the last 24 hours and is the last run.
  const tested = await api.post(`/api/flows/${manualId}/test`, { data: {} });
  expect(tested.status(), await tested.text()).toBe(202);
  const testRunId = ((await tested.json()) as { runId: string }).runId;
  expect(await waitForRunEnd(api, testRunId)).toBe('succeeded');

  await page.goto('/flows');
  await expect(page.getByTestId('flow-row')).toHaveCount(3);
  await expect(rowOf(page, answerer).getByTestId('flow-status')).toHaveText('Draft · ready');
  await expect(rowOf(page, answerer).getByTestId('flow-trigger')).toHaveText('HTTP request received');
  await expect(rowOf(page, broken).getByTestId('flow-status')).toHaveText(/^Draft · \d+ problems?$/);
  await expect(rowOf(page, manual).getByTestId('flow-status')).toHaveText('Draft · ready');
  const manualRow = rowOf(page, manual);
  await expect(manualRow.getByTestId('flow-last-run').getByTestId('run-status')).toHaveText('Succeeded');
  await expect(manualRow.getByTestId('flow-last-run')).toContainText('Test');
  await expect(manualRow.getByRole('link', { name: /^Last run of/ })).toHaveAttribute('href', `/runs/${testRunId}`);
  await expect(manualRow.getByRole('img', { name: '1 run in the last 24 hours: 1 succeeded, 0 failed' })).toBeVisible();
  await expect(rowOf(page, answerer).getByRole('img', { name: 'No runs in the last 24 hours' })).toBeVisible();
  await expect(rowOf(page, answerer)).toContainText('Never run');

  // Start from the menu, by keyboard: an API flow shows its key once.
  const answererMenu = rowOf(page, answerer).getByRole('button', { name: `Options for ${answerer}` });
  await answererMenu.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: `Options for ${answerer}` });
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await expect(menu.getByRole('menuitem')).toHaveText(['Open', 'Start', 'Duplicate', 'Export', 'Delete…']);
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Start' })).toBeFocused();
  await page.keyboard.press('Enter');
  const keyDialog = page.getByRole('dialog', { name: `“${answerer}” is running` });
  await expect(keyDialog).toBeVisible();
  const key = (await keyDialog.getByTestId('invoke-key').textContent())!.trim();
  expect(key.length).toBeGreaterThan(20);
  await keyDialog.getByRole('button', { name: 'Done' }).click();
  await expect(answererMenu).toBeFocused();
  await expect(rowOf(page, answerer).getByTestId('flow-status')).toHaveText('Running');

  // Two calls, one failing: the 24-hour figures, the chart's label and the last run follow.
  const anonymous = await playwright.request.newContext({ baseURL });
  const ok = await anonymous.post(`/api/flows/${answererId}/invoke`, { data: { fail: false }, headers: { 'X-Flow-Key': key } });
  expect(ok.status(), await ok.text()).toBe(200);
  const failing = await anonymous.post(`/api/flows/${answererId}/invoke`, { data: { fail: true }, headers: { 'X-Flow-Key': key } });
  expect(failing.status(), await failing.text()).toBe(502);
  const failedRunId =
    failing.headers()['x-run-id'] ??
    ((await (await api.get(`/api/runs?flowId=${answererId}&limit=1`)).json()) as { runs: { id: string }[] }).runs[0]!.id;
  await anonymous.dispose();
  expect(await waitForRunEnd(api, failedRunId)).toBe('failed');
  await page.reload();
  const answererRow = rowOf(page, answerer);
  await expect(answererRow.getByRole('img', { name: '2 runs in the last 24 hours: 1 succeeded, 1 failed' })).toBeVisible();
  await expect(answererRow.getByTestId('flow-runs-24h')).toHaveText(/2 runs\s*1 failed/);
  await expect(answererRow.getByTestId('flow-runs-24h')).toHaveAttribute('href', `/flows/${answererId}/runs`);
  await expect(answererRow.getByTestId('flow-last-run').getByTestId('run-status')).toHaveText('Failed');
  await expect(answererRow.getByRole('link', { name: /^Last run of/ })).toHaveAttribute('href', `/runs/${failedRunId}`);
  await page.screenshot({ path: 'e2e/screenshots/dashboard.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);
  // The open menu, and the whole page in dark mode.
  await rowOf(page, answerer)
    .getByRole('button', { name: `Options for ${answerer}` })
    .click();
  await expect(page.getByRole('menu', { name: `Options for ${answerer}` })).toBeVisible();
  await expectNoSeriousA11yIssues(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'e2e/screenshots/dashboard-dark.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);
  await page.emulateMedia({ colorScheme: 'light' });

  // A start that is refused says why, in the problems' own words.
  await chooseFromMenu(page, broken, 'Start');
  const refused = page.getByRole('dialog', { name: `“${broken}” was not started` });
  await expect(refused).toBeVisible();
  await expect(refused.getByTestId('start-problems').getByRole('listitem').first()).not.toBeEmpty();
  await expect(refused.getByRole('link', { name: 'Open in the editor' })).toHaveAttribute('href', /\/flows\/[0-9A-Z]{26}$/);
  await page.screenshot({ path: 'e2e/screenshots/dashboard-start-refused.png' });
  await expectNoSeriousA11yIssues(page);
  await page.keyboard.press('Escape');
  await expect(refused).toBeHidden();
  await expect(rowOf(page, broken).getByTestId('flow-status')).toHaveText(/^Draft · \d+ problems?$/);

  // Search narrows by name and lives in the address; a reload keeps it.
  await page.getByLabel('Search flows by name').fill('answerer');
  await expect(page).toHaveURL(/[?&]q=answerer/);
  await expect(page.getByTestId('flow-row')).toHaveCount(1);
  await page.reload();
  await expect(page.getByLabel('Search flows by name')).toHaveValue('answerer');
  await expect(page.getByTestId('flow-row')).toHaveCount(1);
  await page.getByLabel('Search flows by name').fill('no such flow here');
  await expect(page.getByTestId('flows-no-match')).toBeVisible();
  await page.getByLabel('Search flows by name').fill('');
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(page.getByTestId('flow-row')).toHaveCount(3);

  // Sort by name both ways, by creation both ways; in the address too.
  const names = page.getByTestId('flow-name');
  await page.getByLabel('Sort by').selectOption('name');
  await expect(page).toHaveURL(/sort=name$/);
  await expect(names).toHaveText([answerer, broken, manual]);
  await page.getByLabel('Sort by').selectOption('name-desc');
  await expect(page).toHaveURL(/sort=name-desc/);
  await expect(names).toHaveText([manual, broken, answerer]);
  await page.reload();
  await expect(page.getByLabel('Sort by')).toHaveValue('name-desc');
  await expect(names).toHaveText([manual, broken, answerer]);
  await page.getByLabel('Sort by').selectOption('created-asc');
  await expect(names).toHaveText([answerer, manual, broken]);
  await page.getByLabel('Sort by').selectOption('created');
  await expect(names).toHaveText([broken, manual, answerer]);
  await page.getByLabel('Sort by').selectOption('modified');
  await expect(page).not.toHaveURL(/sort=/);

  // Stop from the menu.
  await chooseFromMenu(page, answerer, 'Stop');
  await expect(rowOf(page, answerer).getByTestId('flow-status')).toHaveText('Stopped');
  await expect(page.getByTestId('flows-notice')).toContainText(`“${answerer}” is stopped`);

  // Export downloads the flow file; Import in the header opens the import dialog.
  const download = page.waitForEvent('download');
  await chooseFromMenu(page, answerer, 'Export');
  expect((await download).suggestedFilename()).toMatch(/\.flow\.yaml$/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const importDialog = page.getByRole('dialog');
  await expect(importDialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(importDialog).toBeHidden();

  // Duplicate: a new draft with the same document, named "(copy)".
  await chooseFromMenu(page, answerer, 'Duplicate');
  const copyName = `${answerer} (copy)`;
  await expect(rowOf(page, copyName)).toBeVisible();
  await expect(rowOf(page, copyName).getByTestId('flow-status')).toHaveText('Draft · ready');
  await expect(rowOf(page, copyName).getByTestId('flow-trigger')).toHaveText('HTTP request received');
  await expect(rowOf(page, copyName)).toContainText('Never run');
  await expect(page.getByTestId('flow-row')).toHaveCount(4);

  // Delete asks first, naming the flow; Cancel keeps it, Delete removes it.
  await chooseFromMenu(page, copyName, 'Delete…');
  const confirm = page.getByRole('alertdialog', { name: `Delete “${copyName}”?` });
  await expect(confirm).toBeVisible();
  await expectNoSeriousA11yIssues(page);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(rowOf(page, copyName)).toBeVisible();
  await chooseFromMenu(page, copyName, 'Delete…');
  await page
    .getByRole('alertdialog', { name: `Delete “${copyName}”?` })
    .getByRole('button', { name: 'Delete flow' })
    .click();
  await expect(rowOf(page, copyName)).toHaveCount(0);
  await expect(page.getByTestId('flow-row')).toHaveCount(3);
  await expect(page.getByTestId('flows-notice')).toContainText(`“${copyName}” is deleted`);
  expect((await api.get('/api/flows?q=(copy)')).ok()).toBe(true);
  expect(((await (await api.get('/api/flows?q=(copy)')).json()) as { flows: unknown[] }).flows).toEqual([]);

  // On a phone: name, state, the day's figures (in words; the chart needs the room) and the menu stay.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(rowOf(page, answerer).getByTestId('flow-runs-24h')).toBeVisible();
  await expect(rowOf(page, answerer).getByTestId('flow-runs-24h')).toHaveText(/2 runs\s*1 failed/);
  await expect(rowOf(page, answerer).getByRole('button', { name: `Options for ${answerer}` })).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/dashboard-phone.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);
  await api.dispose();
});
