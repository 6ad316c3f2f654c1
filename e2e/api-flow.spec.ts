import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenViaApi, newUser, signInViaApi, signUpViaApi } from './support/users';

/**
 * The README's curl walkthrough, step by step, with the flow document taken from the README itself
 * (so the documentation cannot drift from what the server accepts): create an API-triggered flow
 * with a personal API token, start it, invoke it with its key and with the token, read its runs.
 */
function readmeFlowBody(): unknown {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const match = /curl -s -X POST "\$API\/flows" [^\n]*-d '(\{[\s\S]*?\n\})'/.exec(readme);
  if (!match) throw new Error('README: the create-flow curl command was not found');
  return JSON.parse(match[1]!);
}

test('the README walkthrough: create, start and invoke an API-triggered flow, then read its runs', async ({
  request,
  playwright,
  baseURL,
}) => {
  const user = newUser('walkthrough');
  await signUpViaApi(request, user);
  await signInViaApi(request, user);
  const token = await createTokenViaApi(request, baseURL!, 'walkthrough');
  // From here on only the token, as curl would: a context with no cookies.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });

  const createdRes = await api.post('/api/flows', { data: readmeFlowBody() });
  expect(createdRes.status(), await createdRes.text()).toBe(201);
  const flowId = ((await createdRes.json()) as { flow: { id: string } }).flow.id;

  const startRes = await api.post(`/api/flows/${flowId}/start`);
  expect(startRes.status(), await startRes.text()).toBe(200);
  const started = (await startRes.json()) as { invokeKey?: string; invokeUrl?: string };
  expect(started.invokeKey).toMatch(/^dfk_/);
  expect(started.invokeUrl).toBe(`/api/flows/${flowId}/invoke`);

  const anonymous = await playwright.request.newContext({ baseURL });
  const byKey = await anonymous.post(started.invokeUrl!, { headers: { 'X-Flow-Key': started.invokeKey! }, data: { name: 'Ada' } });
  expect(byKey.status(), await byKey.text()).toBe(200);
  expect(await byKey.json()).toEqual({ greeting: 'Hello, Ada' });
  const runId = byKey.headers()['x-run-id']!;
  expect(runId).toBeTruthy();

  const byToken = await api.post(started.invokeUrl!, { data: { name: 'Grace' } });
  expect(await byToken.json()).toEqual({ greeting: 'Hello, Grace' });
  const wrongKey = await anonymous.post(started.invokeUrl!, { headers: { 'X-Flow-Key': 'dfk_wrong' }, data: { name: 'Eve' } });
  expect(wrongKey.status()).toBe(401);
  expect(((await wrongKey.json()) as { error: { code: string } }).error.code).toBe('invalid_flow_key');

  // S8: the body must be JSON; fields that look internal are only data, never the run's own.
  const plain = await anonymous.post(started.invokeUrl!, {
    headers: { 'X-Flow-Key': started.invokeKey!, 'Content-Type': 'text/plain' },
    data: '{"name":"Ada"}',
  });
  expect(plain.status()).toBe(415);
  // Bad input on the server's fast path for flow-key calls: the same refusals as everywhere else.
  const keyOnly = { 'X-Flow-Key': started.invokeKey!, 'Content-Type': 'application/json' };
  const malformed = await anonymous.post(started.invokeUrl!, { headers: keyOnly, data: Buffer.from('{"name": "x",') });
  expect(malformed.status()).toBe(400);
  expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
  const huge = await anonymous.post(started.invokeUrl!, { headers: keyOnly, data: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }) });
  expect(huge.status()).toBe(413);
  const badIdempotency = await anonymous.post(started.invokeUrl!, {
    headers: { ...keyOnly, 'Idempotency-Key': 'x'.repeat(300) },
    data: {},
  });
  expect(badIdempotency.status()).toBe(400);
  expect(badIdempotency.headers()['x-content-type-options']).toBe('nosniff');

  const sneaky = await anonymous.post(started.invokeUrl!, {
    headers: { 'X-Flow-Key': started.invokeKey! },
    data: { name: 'Mallory', runId: 'forged', ownerId: 'someone-else', flowId: 'other', __proto__: { admin: true }, status: 'succeeded' },
  });
  expect(await sneaky.json()).toEqual({ greeting: 'Hello, Mallory' });
  const sneakyRun = (await (await api.get(`/api/runs/${sneaky.headers()['x-run-id']}`)).json()) as { run: { id: string; flowId: string } };
  expect(sneakyRun.run.id).toBe(sneaky.headers()['x-run-id']);
  expect(sneakyRun.run.flowId).toBe(flowId);

  // A retried delivery with the same Idempotency-Key starts nothing new.
  const once = { headers: { 'X-Flow-Key': started.invokeKey!, 'Idempotency-Key': 'delivery-42' }, data: { name: 'Lin' } };
  const first = await anonymous.post(started.invokeUrl!, once);
  const again = await anonymous.post(started.invokeUrl!, once);
  expect(again.headers()['x-run-id']).toBe(first.headers()['x-run-id']);

  const runs = (await (await api.get(`/api/runs?flowId=${flowId}`)).json()) as { runs: { id: string; status: string }[] };
  expect(runs.runs).toHaveLength(4);
  expect(runs.runs.every((r) => r.status === 'succeeded')).toBe(true);

  const runRes = await api.get(`/api/runs/${runId}`);
  expect(runRes.status()).toBe(200);
  const run = JSON.stringify(await runRes.json());
  expect(run).toContain('Hello, Ada');
  for (const step of ['request', 'who', 'answer']) expect(run).toContain(`"${step}"`);

  // The live stream of a finished run: its full view, then the end of the stream.
  const events = await api.get(`/api/runs/${runId}/events`);
  expect(events.headers()['content-type']).toContain('text/event-stream');
  expect(await events.text()).toContain('event: run');

  // The flow key never shows again: reading the flow gives only its prefix.
  const flow = await (await api.get(`/api/flows/${flowId}`)).text();
  expect(flow).not.toContain(started.invokeKey!);

  const stopRes = await api.post(`/api/flows/${flowId}/stop`);
  expect(stopRes.status()).toBe(200);
  const stopped = await anonymous.post(started.invokeUrl!, { headers: { 'X-Flow-Key': started.invokeKey! }, data: { name: 'Ada' } });
  expect(stopped.status()).toBe(409);
  await api.dispose();
  await anonymous.dispose();
});

test('a document that cannot be read is refused at save; an unfinished draft is kept; a flow with problems is refused at start, by node and field', async ({
  request,
  playwright,
  baseURL,
}) => {
  const user = newUser('invalid-flow');
  await signUpViaApi(request, user);
  await signInViaApi(request, user);
  const token = await createTokenViaApi(request, baseURL!, 'invalid');
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  type Body = { document: { nodes: { id: string; params: { inputs: Record<string, unknown> } }[] } };

  // A misspelt field is refused, not dropped: it would silently change what the flow does.
  const misspelt = readmeFlowBody() as Body & { document: { nodes: Record<string, unknown>[] } };
  misspelt.document.nodes[1]!.onErorr = 'route';
  const refused = await api.post('/api/flows', { data: misspelt });
  expect(refused.status()).toBe(422);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('document_invalid');

  // A step not finished yet (Set variable without its variable's name) is kept as a draft with its problem.
  const unfinished = readmeFlowBody() as Body;
  delete unfinished.document.nodes[1]!.params.inputs.variable;
  const draft = await api.post('/api/flows', { data: unfinished });
  expect(draft.status(), await draft.text()).toBe(201);
  const draftView = ((await draft.json()) as { flow: { id: string; problems: { nodeId?: string }[] } }).flow;
  expect(draftView.problems.map((p) => p.nodeId)).toContain('who');
  expect((await api.post(`/api/flows/${draftView.id}/start`)).status()).toBe(422);

  // A Response that reads a step that does not exist: saved as a draft, refused at start.
  const dangling = readmeFlowBody() as Body;
  dangling.document.nodes[2]!.params.inputs.body = { expr: '$steps.nowhere.output' };
  const created = await api.post('/api/flows', { data: dangling });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = ((await created.json()) as { flow: { id: string } }).flow.id;
  const start = await api.post(`/api/flows/${flowId}/start`);
  expect(start.status()).toBe(422);
  const error = ((await start.json()) as { error: { code: string; details: { problems: { nodeId?: string; field?: string }[] } } }).error;
  expect(error.code).toBe('flow_invalid');
  expect(error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'answer' })]));
  await api.dispose();
});
