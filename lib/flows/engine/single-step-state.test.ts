import { describe, expect, it } from 'vitest';
import { flowDocumentSchema, type FlowDocument } from '../model/schema';
import { decide } from './decide';
import { singleStepState } from './single-step-state';
import { simulate } from './simulate';

const INPUTS: Record<string, Record<string, unknown>> = {
  'manual.trigger': {},
  'toolbox.log': { message: 'x' },
  'toolbox.if': { condition: { match: 'all', rules: [{ left: 1, operator: 'eq', right: 1 }] } },
  'toolbox.for_each': { items: { expr: '$trigger.items' } },
};
function flow(nodes: [string, string][], edges: [string, string, string][]): FlowDocument {
  return flowDocumentSchema.parse({
    schemaVersion: 2,
    name: 't',
    nodes: nodes.map(([id, type]) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: INPUTS[type] } })),
    edges: edges.map(([from, handle, to], i) => ({ id: `e${i}`, from: { node: from, handle }, to: { node: to } })),
  });
}

// t → a → b → c, and t → side; an If with a skipped branch; a For each with a body step.
const doc = flow(
  [
    ['t', 'manual.trigger'],
    ['a', 'toolbox.log'],
    ['b', 'toolbox.log'],
    ['c', 'toolbox.log'],
    ['side', 'toolbox.log'],
    ['fe', 'toolbox.for_each'],
    ['body', 'toolbox.log'],
  ],
  [
    ['t', 'out', 'a'],
    ['a', 'out', 'b'],
    ['b', 'out', 'c'],
    ['t', 'out', 'side'],
    ['c', 'out', 'fe'],
    ['fe', 'each', 'body'],
  ],
);
const earlier = simulate(doc, { hello: 1, items: [1, 2] }, (nodeId, _a, { item }) =>
  nodeId === 'fe' ? { items: [1, 2] } : { output: { from: nodeId, item: item ?? null } },
).state;

describe('the state "Test this step" starts from', () => {
  it('runs exactly that step, on the outputs the earlier run produced, then ends', () => {
    const seeded = singleStepState(doc, earlier, 'b', 1_000);
    expect(seeded.ok).toBe(true);
    if (!seeded.ok) return;
    expect(seeded.state.steps.a).toMatchObject({ status: 'succeeded', output: { from: 'a' } });
    expect(seeded.state.steps.t).toMatchObject({ status: 'succeeded', output: { hello: 1 } });
    // Not upstream of b: skipped, never run.
    expect(['side', 'c', 'fe'].map((id) => seeded.state.steps[id]?.status)).toEqual(['skipped', 'skipped', 'skipped']);

    const resumed = decide(doc, seeded.state, { type: 'resume', at: 1_001 });
    expect(resumed.commands).toEqual([{ type: 'execute', key: 'b', nodeId: 'b', attempt: 1 }]);
    const done = decide(doc, resumed.state, { type: 'succeeded', at: 1_002, key: 'b', output: { again: true } });
    expect(done.commands).toEqual([{ type: 'finish', status: 'succeeded' }]);
    expect(done.state.steps.b).toMatchObject({ status: 'succeeded', output: { again: true } });
    expect(done.state.steps.c!.status).toBe('skipped');
  });

  it('refuses the trigger, a step inside a For each, an unknown step and a step whose inputs have not run', () => {
    const code = (nodeId: string, source = earlier) => {
      const r = singleStepState(doc, source, nodeId, 0);
      return r.ok ? 'ok' : r.code;
    };
    expect(code('t')).toBe('step_is_trigger');
    expect(code('body')).toBe('step_in_loop');
    expect(code('nope')).toBe('step_not_found');
    const { a: _a, ...withoutA } = earlier.steps;
    expect(code('b', { ...earlier, steps: withoutA })).toBe('step_needs_outputs');
    const failedA = { ...earlier, steps: { ...earlier.steps, a: { ...earlier.steps.a!, status: 'failed' as const } } };
    const refused = singleStepState(doc, failedA, 'c', 0);
    expect(refused).toMatchObject({ ok: false, code: 'step_needs_outputs', message: expect.stringContaining('Test flow') });
    expect(code('fe')).toBe('ok'); // a For each itself runs its whole body
  });
});
