import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createTokenViaApi, newUser, signInViaUi, signUpViaApi } from './support/users';

mkdirSync('e2e/screenshots', { recursive: true });

/** An API-triggered flow that greets the caller, or fails on purpose when the body says `fail: true`. */
function greeterFlow(name: string) {
  return {
    name,
    description: 'Greets the caller; fails when asked to.',
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
          id: 'who',
          type: 'toolbox.set_variable',
          typeVersion: 1,
          name: 'Remember the name',
          position: { x: 240, y: 0 },
          params: { inputs: { variable: 'name', value: { expr: '$trigger.body.name' } } },
        },
        {
          id: 'check',
          type: 'toolbox.if',
          typeVersion: 1,
          name: 'Asked to fail?',
          position: { x: 480, y: 0 },
          params: {
            inputs: { condition: { match: 'all', rules: [{ left: { expr: '$trigger.body.fail' }, operator: 'eq', right: true }] } },
          },
        },
        {
          id: 'giveup',
          type: 'toolbox.fail',
          typeVersion: 1,
          name: 'Give up',
          position: { x: 720, y: -80 },
          params: { inputs: { message: { expr: '"Asked to fail for " & $vars.name' }, code: 'asked_to_fail' } },
        },
        {
          id: 'note',
          type: 'toolbox.log',
          typeVersion: 1,
          name: 'Note the visit',
          position: { x: 720, y: 80 },
          params: { inputs: { level: 'info', message: { expr: '"Greeting " & $vars.name' } } },
        },
        {
          id: 'answer',
          type: 'api.response',
          typeVersion: 1,
          name: 'Say hello',
          position: { x: 960, y: 80 },
          params: { inputs: { status: 200, body: { greeting: { expr: '"Hello, " & $vars.name' } } } },
        },
      ],
      edges: [
        { id: 'e1', from: { node: 'request', handle: 'next' }, to: { node: 'who' } },
        { id: 'e2', from: { node: 'who', handle: 'next' }, to: { node: 'check' } },
        { id: 'e3', from: { node: 'check', handle: 'then' }, to: { node: 'giveup' } },
        { id: 'e4', from: { node: 'check', handle: 'else' }, to: { node: 'note' } },
        { id: 'e5', from: { node: 'note', handle: 'next' }, to: { node: 'answer' } },
      ],
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

test('flows list, a flow’s runs and a run’s steps, timeline and re-run', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const user = newUser('runs');
  await signUpViaApi(page.request, user);
  await signInViaUi(page, user);

  // A new user: the list says what a flow is and where to begin.
  await page.goto('/flows');
  await expect(page.getByRole('heading', { name: 'No flows yet' })).toBeVisible();
  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: 'New flow' }).first()).toHaveAttribute('href', '/flows/new');
  await expect(main.getByRole('link', { name: 'Start from a template' })).toHaveAttribute('href', '/templates');
  await page.screenshot({ path: 'e2e/screenshots/flows-empty.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // The flow, through the API as an integrator would: create, start, call four times, one failing.
  const token = await createTokenViaApi(page.request, baseURL!, 'runs-journey');
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const flowName = `Greeter ${user.name.split(' ')[1]}`;
  const created = await api.post('/api/flows', { data: greeterFlow(flowName) });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = ((await created.json()) as { flow: { id: string } }).flow.id;
  // A second flow, left as a draft, so the list and its search have something to tell apart.
  expect((await api.post('/api/flows', { data: greeterFlow(`Draft helper ${user.name.split(' ')[1]}`) })).status()).toBe(201);
  const started = await api.post(`/api/flows/${flowId}/start`);
  expect(started.status(), await started.text()).toBe(200);

  const runIds: Record<string, string> = {};
  for (const name of ['Ada', 'Grace', 'Lin']) {
    const answer = await api.post(`/api/flows/${flowId}/invoke`, { data: { name } });
    expect(answer.status(), await answer.text()).toBe(200);
    expect(await answer.json()).toEqual({ greeting: `Hello, ${name}` });
    runIds[name] = answer.headers()['x-run-id']!;
  }
  const failing = await api.post(`/api/flows/${flowId}/invoke`, { data: { name: 'Eve', fail: true } });
  expect(failing.status(), await failing.text()).toBe(502);
  const failedRunId = failing.headers()['x-run-id'] ?? (await latestRunId(api, flowId));
  // An edit after the start is a draft that live runs do not use yet: the list marks it.
  const edited = greeterFlow(flowName);
  edited.document.nodes[4]!.name = 'Note the guest';
  const saved = await api.put(`/api/flows/${flowId}`, { data: { document: edited.document, baseVersion: 1 } });
  expect(saved.status(), await saved.text()).toBe(200);
  await api.dispose();

  // The flows list: the started flow, its trigger and status; the draft beside it; search narrows.
  await page.goto('/flows');
  const row = page.getByTestId('flow-row').filter({ hasText: flowName });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('flow-status')).toHaveText('Running');
  await expect(row.getByTestId('flow-trigger')).toHaveText('HTTP request received');
  await expect(row).toContainText(/Changed (just now|1 minute ago)/);
  await expect(row.getByTestId('flow-unpublished')).toHaveText('Unpublished changes');
  await expect(page.getByTestId('flow-row').filter({ hasText: 'Draft helper' }).getByTestId('flow-status')).toHaveText('Draft · ready');
  // A draft that was never started has nothing published to differ from.
  await expect(page.getByTestId('flow-row').filter({ hasText: 'Draft helper' }).getByTestId('flow-unpublished')).toHaveCount(0);
  await expect(row.getByRole('link', { name: flowName, exact: true })).toHaveAttribute('href', `/flows/${flowId}`);
  await page.screenshot({ path: 'e2e/screenshots/flows-list.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.getByLabel('Search flows by name').fill('greeter');
  await expect(page.getByTestId('flow-row')).toHaveCount(1);
  await page.getByLabel('Search flows by name').fill('no such flow here');
  await expect(page.getByTestId('flows-no-match')).toBeVisible();
  await page.getByLabel('Search flows by name').fill('');
  await expect(page.getByTestId('flow-row')).toHaveCount(2);
  await page.getByLabel('Sort by').selectOption('name');
  await expect(page.getByTestId('flow-name').first()).toHaveText(/^Draft helper/);

  // The flow's runs: four, newest first, with their statuses; the filter narrows to the failure.
  await page.getByRole('link', { name: `Runs of ${flowName}` }).click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}/runs$`));
  await expect(page.getByRole('heading', { name: `Runs of ${flowName}` })).toBeVisible();
  const runRows = page.getByTestId('run-row');
  await expect(runRows).toHaveCount(4);
  await expect(runRows.first().getByTestId('run-status')).toHaveText('Failed');
  await expect(page.getByTestId('run-list').getByTestId('run-status').filter({ hasText: 'Succeeded' })).toHaveCount(3);
  await expect(runRows.first()).toContainText('HTTP request received');
  await expect(runRows.first()).toContainText('Live');
  await page.screenshot({ path: 'e2e/screenshots/flow-runs.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.getByRole('button', { name: 'Failed', exact: true }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(runRows).toHaveCount(1);
  await page.getByRole('button', { name: 'Succeeded', exact: true }).click();
  await expect(runRows).toHaveCount(3);
  await page.getByRole('button', { name: 'Failed', exact: true }).click();
  await expect(runRows).toHaveCount(1);

  // The failed run: why it failed, the trigger data, each step with input and output, the timeline.
  await runRows.first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${failedRunId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Run of ${flowName}`);
  await expect(page.getByRole('heading', { level: 1 }).getByTestId('run-status')).toHaveText('Failed');
  await expect(page.getByTestId('run-error')).toContainText('Asked to fail for Eve');
  await expect(page.getByTestId('run-error')).toContainText('asked_to_fail');
  const steps = page.getByTestId('step-card');
  await expect(steps.getByTestId('step-name')).toHaveText(['Incoming call', 'Remember the name', 'Asked to fail?', 'Give up']);
  await expect(steps.filter({ hasText: 'Give up' })).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('timeline-bar')).toHaveCount(4);

  await page.getByTestId('run-trigger').getByText('Trigger data').click();
  await expect(page.getByTestId('run-trigger')).toContainText('"fail": true');
  const remember = steps.filter({ hasText: 'Remember the name' });
  await remember.getByTestId('step-output').getByText('Output').click();
  await expect(remember.getByTestId('step-output')).toContainText('Eve');
  const giveUp = steps.filter({ hasText: 'Give up' });
  await giveUp.getByTestId('step-input').getByText('Input').click();
  await expect(giveUp.getByTestId('step-input')).toContainText('Asked to fail for Eve');
  await expect(giveUp.getByTestId('step-error')).toContainText('Asked to fail for Eve');
  await page.screenshot({ path: 'e2e/screenshots/run-failed.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // A succeeded run shows its answer.
  await page.goto(`/runs/${runIds.Ada}`);
  await expect(page.getByRole('heading', { level: 1 }).getByTestId('run-status')).toHaveText('Succeeded');
  await expect(steps.getByTestId('step-name')).toHaveText([
    'Incoming call',
    'Remember the name',
    'Asked to fail?',
    'Note the visit',
    'Say hello',
  ]);
  const hello = steps.filter({ hasText: 'Say hello' });
  await hello.getByTestId('step-output').getByText('Output').click();
  await expect(hello.getByTestId('step-output')).toContainText('Hello, Ada');
  await page.getByRole('button', { name: /^Say hello, succeeded, started after/ }).click();
  await expect(hello).toBeInViewport();
  await page.screenshot({ path: 'e2e/screenshots/run-succeeded.png', fullPage: true });

  // Re-run: a new run of the same version with the same data, opened at once and followed to its end.
  await page.goto(`/runs/${failedRunId}`);
  await page.getByRole('button', { name: 'Re-run' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${failedRunId}$`));
  await expect(page).toHaveURL(/\/runs\/[0-9A-HJKMNP-TV-Z]{26}$/);
  const newRunId = page.url().split('/').at(-1)!;
  expect(newRunId).not.toBe(failedRunId);
  await expect(page.getByRole('heading', { level: 1 }).getByTestId('run-status')).toHaveText('Failed');
  await expect(page.getByTestId('run-error')).toContainText('Asked to fail for Eve');
  await expect(page.getByTestId('run-facts').getByRole('link', { name: 'the earlier run' })).toHaveAttribute(
    'href',
    `/runs/${failedRunId}`,
  );
  await page.screenshot({ path: 'e2e/screenshots/run-rerun.png', fullPage: true });

  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Runs' }).click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}/runs$`));
  await expect(runRows).toHaveCount(5);
  await expect(runRows.first()).toHaveAttribute('data-run-id', newRunId);
  await expect(runRows.first()).toContainText('Re-run of an earlier run');

  // On a phone: the list keeps status, start and trigger; the run view stacks its blocks.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(runRows.first()).toContainText('HTTP request received');
  await page.screenshot({ path: 'e2e/screenshots/flow-runs-phone.png', fullPage: true });
  await page.goto(`/runs/${runIds.Grace}`);
  await expect(page.getByTestId('step-card')).toHaveCount(5);
  await page.screenshot({ path: 'e2e/screenshots/run-phone.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);
});

/** A manual flow whose HTTP step cannot reach its host (.invalid never resolves) and retries twice, a second apart. */
function retryingFlow(name: string) {
  return {
    name,
    document: {
      schemaVersion: 2,
      name,
      nodes: [
        { id: 'start', type: 'manual.trigger', typeVersion: 1, name: 'Start by hand', position: { x: 0, y: 0 }, params: { inputs: {} } },
        {
          id: 'call',
          type: 'http.request',
          typeVersion: 1,
          name: 'Call the partner',
          position: { x: 240, y: 0 },
          params: {
            inputs: { method: 'GET', url: 'https://partner.unreachable.invalid/ping', timeoutSeconds: 2 },
            retry: { maxAttempts: 3, delaySeconds: 1, backoff: 'fixed' },
          },
        },
      ],
      edges: [{ id: 'e1', from: { node: 'start', handle: 'next' }, to: { node: 'call' } }],
    },
  };
}

test('a test run is followed live: each attempt appears and the run ends without a reload', async ({ page, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const user = newUser('runs-live');
  await signUpViaApi(page.request, user);
  await signInViaUi(page, user);
  const token = await createTokenViaApi(page.request, baseURL!, 'runs-live');
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const created = await api.post('/api/flows', { data: retryingFlow('Partner ping') });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = ((await created.json()) as { flow: { id: string } }).flow.id;
  const tested = await api.post(`/api/flows/${flowId}/test`, { data: { trigger: { reason: 'checking' } } });
  expect(tested.status(), await tested.text()).toBe(202);
  const { runId } = (await tested.json()) as { runId: string };
  await api.dispose();

  await page.goto(`/runs/${runId}`);
  const status = page.getByRole('heading', { level: 1 }).getByTestId('run-status');
  // The retries take two seconds at least: the page opens on an unfinished run…
  await expect(status).toHaveText(/Queued|Running/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Test');
  // …and, with no reload and no polling of the run, the stream brings every attempt and the end.
  await expect(status).toHaveText('Failed', { timeout: 30_000 });
  const attempts = page.getByTestId('step-card').filter({ hasText: 'Call the partner' });
  await expect(attempts).toHaveCount(3);
  await expect(attempts.last()).toContainText('Attempt 3');
  await expect(attempts.first()).toContainText('Tried again');
  await expect(attempts.last()).not.toContainText('Tried again');
  await expect(page.getByRole('region', { name: 'Steps' })).toContainText('2 steps, 4 attempts');
  await expect(attempts.last().getByTestId('step-error')).toContainText('partner.unreachable.invalid');
  await expect(page.getByTestId('timeline-bar')).toHaveCount(4);
  await expect(page.getByTestId('run-live')).toHaveText('The run stopped at a failed step.');
  await page.screenshot({ path: 'e2e/screenshots/run-retries.png', fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // The flow has never been started: it is a draft, and its only run is a test run.
  await page.goto(`/flows/${flowId}/runs?mode=test`);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toContainText('Test');
  await page.goto(`/flows/${flowId}/runs?mode=live`);
  await expect(page.getByRole('heading', { name: 'No runs match these filters' })).toBeVisible();
});

test('a run or flow that does not exist says so plainly', async ({ page }) => {
  const user = newUser('runs-missing');
  await signUpViaApi(page.request, user);
  await signInViaUi(page, user);
  await page.goto('/runs/01ARZ3NDEKTSV4RRFFQ69G5FAV');
  await expect(page.getByRole('heading', { name: 'This run does not exist' })).toBeVisible();
  await page.goto('/runs/not-an-id');
  await expect(page.getByRole('heading', { name: 'This run does not exist' })).toBeVisible();
  await page.goto('/flows/01ARZ3NDEKTSV4RRFFQ69G5FAV/runs');
  await expect(page.getByRole('heading', { name: 'This flow does not exist' })).toBeVisible();
});

async function latestRunId(api: APIRequestContext, flowId: string): Promise<string> {
  const runs = (await (await api.get(`/api/runs?flowId=${flowId}&limit=1`)).json()) as { runs: { id: string }[] };
  return runs.runs[0]!.id;
}
