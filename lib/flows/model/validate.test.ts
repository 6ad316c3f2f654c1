import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlow } from './check-flow';
import type { Problem } from './problem';
import { flowDocumentSchema, type FlowDocument } from './schema';
import { validateDocument, type FlowCheck } from './validate';

const ACC = 'acc-1';
type Params = Record<string, unknown>;
const node = (id: string, type: string, inputs: Params = {}, params: Params = {}) => ({
  id,
  type,
  typeVersion: 1,
  position: { x: 0, y: 0 },
  params: { inputs, ...(type.startsWith('dynamics.') ? { accountId: ACC } : {}), ...params },
});
const edge = (from: string, to: string, handle = 'next') => ({
  id: `${from}-${handle}-${to}`,
  from: { node: from, handle },
  to: { node: to },
});
const doc = (nodes: unknown[], edges: unknown[] = []): FlowDocument =>
  flowDocumentSchema.parse({ schemaVersion: 2, name: 't', nodes, edges });

const manual = node('t', 'manual.trigger');
const log = (id: string, message: unknown = 'x', params: Params = {}) => node(id, 'toolbox.log', { message }, params);
const forEach = (id: string) => node(id, 'toolbox.for_each', { items: { expr: '$steps.t.output.list' } });
const iff = (id: string) =>
  node(id, 'toolbox.if', { condition: { match: 'all', rules: [{ left: { expr: '$steps.t.output.n' }, operator: 'gt', right: 1 }] } });

interface Rule {
  rule: string;
  failing: FlowDocument;
  expected: Partial<Problem>[];
  passing: FlowDocument;
}

const rules: Rule[] = [
  { rule: 'a trigger is required', failing: doc([log('a')]), expected: [{ code: 'no_trigger' }], passing: doc([manual]) },
  {
    rule: 'exactly one trigger',
    failing: doc([manual, node('s', 'scheduler.schedule', { mode: 'interval', everySeconds: 60 })]),
    expected: [{ code: 'extra_trigger', nodeId: 's' }],
    passing: doc([node('s', 'scheduler.schedule', { mode: 'interval', everySeconds: 60 })]),
  },
  {
    rule: 'node ids are unique',
    failing: doc([manual, log('a'), log('a')], [edge('t', 'a')]),
    expected: [{ code: 'duplicate_node_id', nodeId: 'a', field: 'id' }],
    passing: doc([manual, log('a'), log('b')], [edge('t', 'a'), edge('a', 'b')]),
  },
  {
    rule: 'edge ids are unique',
    failing: doc([manual, log('a'), log('b')], [edge('t', 'a'), { ...edge('a', 'b'), id: 't-next-a' }]),
    expected: [{ code: 'duplicate_edge_id', field: 'edges.1.id' }],
    passing: doc([manual, log('a'), log('b')], [edge('t', 'a'), edge('a', 'b')]),
  },
  {
    rule: 'edges join existing nodes',
    failing: doc([manual, log('a')], [edge('t', 'a'), edge('a', 'ghost'), edge('phantom', 'a')]),
    expected: [
      { code: 'edge_unknown_node', field: 'edges.1.to.node' },
      { code: 'edge_unknown_node', field: 'edges.2.from.node' },
    ],
    passing: doc([manual, log('a')], [edge('t', 'a')]),
  },
  {
    rule: 'If has then/else, not next',
    failing: doc([manual, iff('if'), log('a')], [edge('t', 'if'), edge('if', 'a')]),
    expected: [{ code: 'edge_unknown_handle', nodeId: 'if', field: 'edges.1.from.handle' }],
    passing: doc([manual, iff('if'), log('a'), log('b')], [edge('t', 'if'), edge('if', 'a', 'then'), edge('if', 'b', 'else')]),
  },
  {
    rule: 'For each has each/after',
    failing: doc([manual, forEach('fe'), log('a')], [edge('t', 'fe'), edge('fe', 'a', 'then')]),
    expected: [{ code: 'edge_unknown_handle', nodeId: 'fe' }],
    passing: doc([manual, forEach('fe'), log('a'), log('b')], [edge('t', 'fe'), edge('fe', 'a', 'each'), edge('fe', 'b', 'after')]),
  },
  {
    rule: 'an error path only where on-error is "route"',
    failing: doc([manual, log('a'), log('b')], [edge('t', 'a'), edge('a', 'b', 'error')]),
    expected: [{ code: 'edge_unknown_handle', nodeId: 'a' }],
    passing: doc([manual, log('a', 'x', { onError: 'route' }), log('b')], [edge('t', 'a'), edge('a', 'b', 'error')]),
  },
  {
    rule: 'on-error "route" needs its error path connected',
    failing: doc([manual, log('a', 'x', { onError: 'route' })], [edge('t', 'a')]),
    expected: [{ code: 'error_path_missing', nodeId: 'a', field: 'params.onError' }],
    passing: doc([manual, log('a', 'x', { onError: 'continue' })], [edge('t', 'a')]),
  },
  {
    rule: 'Fail ends the flow: no outputs',
    failing: doc([manual, node('f', 'toolbox.fail', { message: 'no' }), log('a')], [edge('t', 'f'), edge('f', 'a')]),
    expected: [{ code: 'edge_unknown_handle', nodeId: 'f' }],
    passing: doc([manual, node('f', 'toolbox.fail', { message: 'no' })], [edge('t', 'f')]),
  },
  {
    rule: 'nothing connects into the trigger',
    failing: doc([manual, log('a')], [edge('t', 'a'), edge('a', 't')]),
    expected: [{ code: 'edge_into_trigger', nodeId: 't' }, { code: 'cycle' }],
    passing: doc([manual, log('a')], [edge('t', 'a')]),
  },
  {
    rule: 'the same connection twice',
    failing: doc([manual, log('a')], [edge('t', 'a'), { ...edge('t', 'a'), id: 'again' }]),
    expected: [{ code: 'duplicate_edge', nodeId: 't' }],
    passing: doc([manual, log('a')], [edge('t', 'a')]),
  },
  {
    rule: 'no cycles outside For each bodies',
    failing: doc([manual, log('a'), log('b'), log('c')], [edge('t', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a')]),
    expected: [{ code: 'cycle', nodeId: 'a' }],
    // A body's edge back to its For each is the next iteration, not a cycle.
    passing: doc(
      [manual, forEach('fe'), log('a'), log('b'), log('z')],
      [edge('t', 'fe'), edge('fe', 'a', 'each'), edge('a', 'b'), edge('b', 'fe'), edge('fe', 'z', 'after')],
    ),
  },
  {
    rule: 'a cycle inside a For each body that does not pass through the For each is still a cycle',
    failing: doc([manual, forEach('fe'), log('a'), log('b')], [edge('t', 'fe'), edge('fe', 'a', 'each'), edge('a', 'b'), edge('b', 'a')]),
    expected: [{ code: 'cycle', nodeId: 'a' }],
    passing: doc([manual, forEach('fe'), log('a'), log('b')], [edge('t', 'fe'), edge('fe', 'a', 'each'), edge('a', 'b')]),
  },
  {
    rule: 'every node reachable from the trigger',
    failing: doc([manual, log('a'), log('b')], [edge('t', 'a')]),
    expected: [{ code: 'unreachable', nodeId: 'b' }],
    passing: doc([manual, log('a'), log('b')], [edge('t', 'a'), edge('a', 'b')]),
  },
  {
    rule: "an expression's $steps.<id> must be upstream",
    failing: doc([manual, log('a', { expr: '$steps.b.output' }), log('b')], [edge('t', 'a'), edge('a', 'b')]),
    expected: [{ code: 'reference_not_upstream', nodeId: 'a', field: 'params.inputs.message' }],
    passing: doc([manual, log('a'), log('b', { expr: '$steps.a.output & $steps.`t`.output' })], [edge('t', 'a'), edge('a', 'b')]),
  },
  {
    rule: "a reference's step must be upstream",
    failing: doc(
      [manual, iff('if'), log('a'), log('b', { ref: { step: 'a' } })],
      [edge('t', 'if'), edge('if', 'a', 'then'), edge('if', 'b', 'else')],
    ),
    expected: [{ code: 'reference_not_upstream', nodeId: 'b', field: 'params.inputs.message' }],
    passing: doc(
      [manual, iff('if'), log('a'), log('b', { ref: { step: 'if' } })],
      [edge('t', 'if'), edge('if', 'a', 'then'), edge('if', 'b', 'else')],
    ),
  },
  {
    rule: "a For each body's steps are not readable after the loop",
    failing: doc(
      [manual, forEach('fe'), log('a'), log('z', { ref: { step: 'a' } })],
      [edge('t', 'fe'), edge('fe', 'a', 'each'), edge('fe', 'z', 'after')],
    ),
    expected: [{ code: 'reference_not_upstream', nodeId: 'z' }],
    passing: doc(
      [manual, forEach('fe'), log('a', { ref: { step: 'fe' } }), log('z', { ref: { step: 'fe' } })],
      [edge('t', 'fe'), edge('fe', 'a', 'each'), edge('fe', 'z', 'after')],
    ),
  },
  {
    rule: 'references name existing steps, never the step itself',
    failing: doc(
      [manual, log('a', { expr: '$steps.nobody.x' }), log('b', { body: [{ ref: { step: 'b' } }] })],
      [edge('t', 'a'), edge('a', 'b')],
    ),
    expected: [
      { code: 'reference_unknown_step', nodeId: 'a' },
      { code: 'reference_self', nodeId: 'b', field: 'params.inputs.message.body.0' },
    ],
    passing: doc([manual, log('a', { literal: { expr: '$steps.nobody.x' } })], [edge('t', 'a')]),
  },
  {
    rule: 'an API request is answered by a Response',
    failing: doc([node('t', 'api.request'), log('a')], [edge('t', 'a')]),
    expected: [{ code: 'response_missing', nodeId: 't' }],
    passing: doc([node('t', 'api.request'), node('r', 'api.response', { body: 'ok' })], [edge('t', 'r')]),
  },
  {
    rule: 'a Response only in a flow started by an API request',
    failing: doc([manual, node('r', 'api.response', {})], [edge('t', 'r')]),
    expected: [{ code: 'response_without_request', nodeId: 'r' }],
    passing: doc([manual, log('r')], [edge('t', 'r')]),
  },
];

describe('structural validation', () => {
  it.each(rules)('$rule', ({ failing, expected, passing }) => {
    expect(validateDocument(failing)).toEqual(expected.map((p) => expect.objectContaining(p)));
    expect(validateDocument(passing)).toEqual([]);
  });

  it('returns every problem at once, each in plain words', () => {
    const broken = doc([log('a', { expr: '$steps.zz.x' }), log('b'), iff('if')], [edge('if', 'b'), edge('b', 'if', 'then')]);
    const problems = validateDocument(broken);
    expect(problems.map((p) => p.code).sort()).toEqual(
      ['edge_unknown_handle', 'edge_unknown_handle', 'no_trigger', 'reference_unknown_step', 'reference_unknown_step', 'cycle'].sort(),
    );
    for (const p of problems) expect(p.message).toMatch(/^[A-Z"a-z].*[.)]$/);
  });

  it('every golden fixture is structurally sound', () => {
    for (const version of ['v1', 'v2']) {
      const dir = join(process.cwd(), 'test', 'fixtures', 'flows', version);
      for (const file of readdirSync(dir)) {
        const result = checkFlow(JSON.parse(readFileSync(join(dir, file), 'utf8')));
        expect(result, `${version}/${file}`).toMatchObject({ ok: true });
      }
    }
  });

  it('takes extra checks (the hook for metadata-dependent checks)', () => {
    const noLogs: FlowCheck = (d) =>
      d.nodes.filter((n) => n.type === 'toolbox.log').map((n) => ({ nodeId: n.id, code: 'no_logs', message: 'Logs are off here.' }));
    const d = doc([manual, log('a')], [edge('t', 'a')]);
    expect(validateDocument(d)).toEqual([]);
    expect(validateDocument(d, { checks: [noLogs] })).toEqual([{ nodeId: 'a', code: 'no_logs', message: 'Logs are off here.' }]);
  });

  it('checkFlow: parse problems without a document, structural problems with it', () => {
    expect(checkFlow({ schemaVersion: 9 })).toMatchObject({ ok: false, problems: [{ code: 'future_version' }] });
    const result = checkFlow({ schemaVersion: 1, nodes: [{ id: 'a', type: 'toolbox.log', params: { message: 'x' } }], edges: [] });
    expect(result).toMatchObject({ ok: false, document: { schemaVersion: 2 }, problems: [{ code: 'no_trigger' }] });
  });
});
