import { describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/database';
import type { FlowNode } from '../model/schema';
import { StepError, type StepContext } from './step-executor';
import { runFail, runForEach, runIf, runLog, runResponse, runSetVariable } from './toolbox';

function context(type: string, inputs: Record<string, unknown> = {}) {
  const lines: [string, string][] = [];
  const node = { id: 'n1', type, typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs } } as FlowNode;
  const ctx: StepContext = {
    db: {} as Db,
    ownerId: 'o',
    flowId: 'f',
    runId: 'r',
    mode: 'test',
    stepKey: 'n1',
    node,
    attempt: 1,
    idempotencyKey: 'r:n1',
    chainDepth: 0,
    signal: new AbortController().signal,
    log: (level, message) => lines.push([level, message]),
  };
  return { ctx, lines };
}

async function failure(p: Promise<unknown>): Promise<StepError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StepError);
  return e as StepError;
}

describe('If', () => {
  it('follows then or else with the result as output', async () => {
    const { ctx } = context('toolbox.if');
    const cond = (right: unknown) => ({ condition: { match: 'all', rules: [{ left: 5, operator: 'ge', right }] } });
    expect(await runIf(ctx, cond(5))).toEqual({ output: { result: true }, branch: 'then' });
    expect(await runIf(ctx, cond(6))).toEqual({ output: { result: false }, branch: 'else' });
  });
  it('refuses a malformed condition precisely', async () => {
    const { ctx } = context('toolbox.if');
    const e = await failure(runIf(ctx, { condition: { match: 'some', rules: [] } }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^The condition is not valid: match: .*; rules: /);
  });
});

describe('For each', () => {
  it('hands the list to the engine and counts it', async () => {
    const { ctx } = context('toolbox.for_each', { maxItems: 3 });
    expect(await runForEach(ctx, { items: ['a', 'b'] })).toEqual({ output: { count: 2 }, items: ['a', 'b'] });
  });
  it('fails with not_a_list on anything but a list', async () => {
    const { ctx } = context('toolbox.for_each');
    for (const [items, what] of [
      [{ a: 1 }, 'an object'],
      ['abc', 'string'],
      [null, 'null'],
    ] as const) {
      const e = await failure(runForEach(ctx, { items }));
      expect(e.code).toBe('not_a_list');
      expect(e.message).toContain(what);
      expect(e.retryable).toBe(false);
    }
  });
  it('fails with too_many_items naming the count and the ceiling (the node’s, else 5,000)', async () => {
    const { ctx } = context('toolbox.for_each', { maxItems: 3 });
    const e = await failure(runForEach(ctx, { items: [1, 2, 3, 4] }));
    expect(e.code).toBe('too_many_items');
    expect(e.message).toBe('For each got 4 items; this step allows at most 3.');
    const big = await failure(runForEach(context('toolbox.for_each').ctx, { items: new Array(5_001).fill(0) }));
    expect(big.message).toBe('For each got 5001 items; this step allows at most 5000.');
  });
});

describe('Set variable, Log, Response, Fail', () => {
  it('Set variable names the variable and its value', async () => {
    const { ctx } = context('toolbox.set_variable');
    expect(await runSetVariable(ctx, { variable: 'total', value: { n: 3 } })).toEqual({
      output: { name: 'total', value: { n: 3 } },
      variable: { name: 'total', value: { n: 3 } },
    });
    expect((await failure(runSetVariable(ctx, { variable: '1bad', value: 1 }))).code).toBe('invalid_input');
  });

  it('Log writes the message as text at its level', async () => {
    const { ctx, lines } = context('toolbox.log');
    expect(await runLog(ctx, { level: 'warn', message: { total: 3 } })).toEqual({ output: { level: 'warn', message: '{"total":3}' } });
    await runLog(ctx, { message: 'plain' });
    expect(lines).toEqual([
      ['warn', '{"total":3}'],
      ['info', 'plain'],
    ]);
  });

  it('Response answers with a status, string headers and a body', async () => {
    const { ctx } = context('api.response');
    const out = await runResponse(ctx, {
      status: 201,
      headers: { 'X-Count': 3, 'Content-Type': 'application/json', bad: { a: 1 }, none: null, 'Content-Length': '5', split: 'a\r\nb' },
      body: { ok: true },
    });
    expect(out).toEqual({
      output: { status: 201, body: { ok: true } },
      response: { status: 201, headers: { 'x-count': '3', 'content-type': 'application/json' }, body: { ok: true } },
    });
    expect((await runResponse(ctx, {})).response).toEqual({ status: 200, headers: {}, body: null });
    expect((await failure(runResponse(ctx, { status: 700 }))).message).toContain('100 to 599');
  });

  it('Fail throws its code and message, not retryable', async () => {
    const { ctx } = context('toolbox.fail');
    const e = await failure(runFail(ctx, { message: 'Order 42 has no lines', code: 'no_lines' }));
    expect([e.code, e.message, e.retryable]).toEqual(['no_lines', 'Order 42 has no lines', false]);
    expect((await failure(runFail(ctx, { message: { why: 'x' } }))).code).toBe('flow_failed');
  });
});
