import { describe, expect, it } from 'vitest';
import { flowDocumentSchema, type FlowDocument } from '../model/schema';
import { decide, initialState } from './decide';
import { simulate, type Script } from './simulate';

type N = [id: string, type: string, inputs?: Record<string, unknown>, extra?: Record<string, unknown>];
const INPUTS: Record<string, Record<string, unknown>> = {
  'manual.trigger': {},
  'toolbox.log': { message: 'x' },
  'toolbox.if': { condition: { match: 'all', rules: [{ left: 1, operator: 'eq', right: 1 }] } },
  'toolbox.for_each': { items: { expr: '$trigger.items' } },
  'http.request': { method: 'GET', url: 'https://example.com' },
};

function flow(nodes: N[], edges: [from: string, handle: string, to: string][]): FlowDocument {
  return flowDocumentSchema.parse({
    schemaVersion: 2,
    name: 't',
    nodes: nodes.map(([id, type, inputs, extra]) => ({
      id,
      type,
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: { inputs: inputs ?? INPUTS[type], ...extra },
    })),
    edges: edges.map(([from, handle, to], i) => ({ id: `e${i}`, from: { node: from, handle }, to: { node: to } })),
  });
}

const echo: Script = (nodeId, _a, { item }) => ({ output: { nodeId, item: item ?? null } });

describe('the engine', () => {
  it('runs a step after an If once, whichever branch ran (skipped branches join)', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['if', 'toolbox.if'],
        ['yes', 'toolbox.log'],
        ['no', 'toolbox.log'],
        ['end', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'if'],
        ['if', 'then', 'yes'],
        ['if', 'else', 'no'],
        ['yes', 'next', 'end'],
        ['no', 'next', 'end'],
      ],
    );
    const script: Script = (id) => (id === 'if' ? { output: {}, branch: 'else' } : { output: id });
    const { log, state } = simulate(doc, {}, script);
    expect(log).toEqual(['execute if #1', 'execute no #1', 'execute end #1', 'finish succeeded']);
    expect(state.steps.yes?.status).toBe('skipped');
  });

  it('iterates a For each body with its concurrency, gives $item, then follows after', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['fe', 'toolbox.for_each', { items: { expr: '$x' }, concurrency: 2 }],
        ['a', 'toolbox.log'],
        ['b', 'toolbox.log'],
        ['done', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'fe'],
        ['fe', 'each', 'a'],
        ['a', 'next', 'b'],
        ['b', 'next', 'fe'],
        ['fe', 'after', 'done'],
      ],
    );
    const script: Script = (id, _a, ctx) => (id === 'fe' ? { items: [10, 20, 30] } : echo(id, 1, ctx));
    const { log, state } = simulate(doc, {}, script);
    expect(log).toEqual([
      'execute fe #1',
      'execute fe#0/a #1',
      'execute fe#1/a #1',
      'execute fe#0/b #1',
      'execute fe#1/b #1',
      'execute fe#2/a #1',
      'execute fe#2/b #1',
      'execute done #1',
      'finish succeeded',
    ]);
    expect(state.steps.fe?.output).toEqual({ count: 3 });
    // Finished iterations are forgotten by the state (their records live in run_steps).
    expect(Object.keys(state.steps).some((k) => k.includes('#'))).toBe(false);
  });

  it('passes the item of its iteration to each body step', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['fe', 'toolbox.for_each'],
        ['a', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'fe'],
        ['fe', 'each', 'a'],
      ],
    );
    const seen: unknown[] = [];
    simulate(doc, {}, (id, _a, { item, index }) => {
      if (id === 'fe') return { items: ['x', 'y'] };
      seen.push([index, item]);
      return { output: null };
    });
    expect(seen).toEqual([
      [0, 'x'],
      [1, 'y'],
    ]);
  });

  it('an empty list goes straight to after', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['fe', 'toolbox.for_each'],
        ['a', 'toolbox.log'],
        ['done', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'fe'],
        ['fe', 'each', 'a'],
        ['fe', 'after', 'done'],
      ],
    );
    const { log } = simulate(doc, {}, (id) => (id === 'fe' ? { items: [] } : { output: null }));
    expect(log).toEqual(['execute fe #1', 'execute done #1', 'finish succeeded']);
  });

  it('fails the run on a failed step by default, with the step named', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['h', 'http.request'],
        ['after', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'h'],
        ['h', 'next', 'after'],
      ],
    );
    const { log, state } = simulate(doc, {}, (id) =>
      id === 'h' ? { fail: { code: 'http_404', message: 'Not found' } } : { output: null },
    );
    expect(log).toEqual(['execute h #1', 'finish failed']);
    expect(state.error).toEqual({ code: 'http_404', message: 'Not found', nodeId: 'h', stepKey: 'h' });
  });

  it('routes a failure along the error path with the error as data', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['h', 'http.request', undefined, { onError: 'route' }],
        ['ok', 'toolbox.log'],
        ['bad', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'h'],
        ['h', 'next', 'ok'],
        ['h', 'error', 'bad'],
      ],
    );
    const { log, state } = simulate(doc, {}, (id) => (id === 'h' ? { fail: { code: 'http_500', message: 'boom' } } : { output: null }));
    expect(log).toEqual(['execute h #1', 'execute bad #1', 'finish succeeded']);
    expect(state.steps.h?.output).toEqual({ error: { code: 'http_500', message: 'boom' } });
    expect(state.steps.ok?.status).toBe('skipped');
  });

  it('continues past a failure when on-error is continue', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['h', 'http.request', undefined, { onError: 'continue' }],
        ['ok', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'h'],
        ['h', 'next', 'ok'],
      ],
    );
    const { log } = simulate(doc, {}, (id) => (id === 'h' ? { fail: { code: 'x', message: 'y' } } : { output: null }));
    expect(log).toEqual(['execute h #1', 'execute ok #1', 'finish succeeded']);
  });

  it('retries when the runtime asks, not before the delay, keeping the step key', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['h', 'http.request'],
      ],
      [['t', 'next', 'h']],
    );
    let state = decide(doc, initialState(0), { type: 'start', at: 0, trigger: {} }).state;
    const failed = decide(doc, state, {
      type: 'failed',
      at: 10,
      key: 'h',
      error: { code: 'http_429', message: 'slow down' },
      retryInMs: 2_000,
    });
    expect(failed.commands).toEqual([{ type: 'execute', key: 'h', nodeId: 'h', attempt: 2, notBefore: 2_010 }]);
    state = failed.state;
    expect(decide(doc, state, { type: 'succeeded', at: 2_020, key: 'h', output: 1 }).commands).toEqual([
      { type: 'finish', status: 'succeeded' },
    ]);
  });

  it('resumes after a crash by re-running the steps that were in flight', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['a', 'toolbox.log'],
        ['b', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'a'],
        ['t', 'next', 'b'],
      ],
    );
    let state = decide(doc, initialState(0), { type: 'start', at: 0, trigger: {} }).state;
    state = decide(doc, state, { type: 'succeeded', at: 1, key: 'a', output: 1 }).state;
    const resumed = decide(doc, state, { type: 'resume', at: 5 });
    expect(resumed.commands).toEqual([{ type: 'execute', key: 'b', nodeId: 'b', attempt: 1 }]);
  });

  it('ignores a stale result for a step that is not running (a duplicate delivery)', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['a', 'toolbox.log'],
      ],
      [['t', 'next', 'a']],
    );
    let state = decide(doc, initialState(0), { type: 'start', at: 0, trigger: {} }).state;
    state = decide(doc, state, { type: 'succeeded', at: 1, key: 'a', output: 1 }).state;
    expect(state.status).toBe('succeeded');
    expect(decide(doc, state, { type: 'succeeded', at: 2, key: 'a', output: 2 }).commands).toEqual([]);
  });

  it('stops a runaway loop at the step ceiling and a long run at the duration limit (R11)', () => {
    const doc = flow(
      [
        ['t', 'manual.trigger'],
        ['fe', 'toolbox.for_each'],
        ['a', 'toolbox.log'],
      ],
      [
        ['t', 'next', 'fe'],
        ['fe', 'each', 'a'],
      ],
    );
    const limits = { maxSteps: 50, maxDurationMs: 3_600_000, maxOutputBytes: 1 };
    let state = decide(doc, initialState(0), { type: 'start', at: 0, trigger: {} }, limits).state;
    state = decide(
      doc,
      state,
      { type: 'succeeded', at: 1, key: 'fe', output: {}, items: Array.from({ length: 100 }, (_, i) => i) },
      limits,
    ).state;
    for (let i = 0; state.status === 'running'; i++)
      state = decide(doc, state, { type: 'succeeded', at: 2, key: `fe#${i}/a`, output: null }, limits).state;
    expect(state.error?.code).toBe('too_many_steps');

    const slow = decide(doc, initialState(0), { type: 'start', at: 0, trigger: {} }).state;
    const late = decide(doc, slow, { type: 'succeeded', at: 3_600_001, key: 'fe', output: {}, items: [] });
    expect(late.state.error?.code).toBe('run_timeout');
    expect(late.commands).toEqual([{ type: 'finish', status: 'failed' }]);
  });

  it('records a Response once and says so', () => {
    const doc = flow(
      [
        ['t', 'api.request', {}],
        ['r', 'api.response', { status: 201, body: 'x' }],
      ],
      [['t', 'next', 'r']],
    );
    const { log, state } = simulate(doc, {}, () => ({ output: {}, response: { status: 201, headers: {}, body: 'x' } }));
    expect(log).toEqual(['execute r #1', 'respond 201', 'finish succeeded']);
    expect(state.response?.status).toBe(201);
  });
});
