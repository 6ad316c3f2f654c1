/** Reading portable flow files: what is accepted, and every hostile or wrong file refused with its code, never a throw. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MAX_PORTABLE_FLOW_BYTES, parsePortableFlow } from './parse-portable-flow';

const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/${path}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** A Dynamics flow whose steps name the placeholder `sales`. */
function leadFlow(): Record<string, unknown> {
  const doc = fixture('v2/dynamics-event-new');
  (doc.nodes as { params: { accountId?: string } }[])[0]!.params.accountId = 'sales';
  return doc;
}

const file = (overrides: Record<string, unknown> = {}) =>
  stringify({
    format: 'dynamics-flow-designer/flow',
    formatVersion: 1,
    accounts: { sales: { label: 'Sales account' } },
    flow: leadFlow(),
    ...overrides,
  });

function refused(text: string) {
  let result: ReturnType<typeof parsePortableFlow> | undefined;
  expect(() => (result = parsePortableFlow(text))).not.toThrow();
  expect(result!.ok).toBe(false);
  if (result!.ok) throw new Error('accepted');
  expect(result!.error.message.length).toBeGreaterThan(10);
  expect(result!.error.message).not.toMatch(/\n|at .*\.ts:\d+/);
  return result!.error;
}

describe('parsePortableFlow accepts', () => {
  it('a flow file in YAML, with its placeholders, and the flow parsed by the model (defaults filled in)', () => {
    const result = parsePortableFlow(file());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.portable.format).toBe('dynamics-flow-designer/flow');
    expect(result.portable.accounts).toEqual({ sales: { label: 'Sales account' } });
    expect(result.portable.flow.nodes[0]!.params.accountId).toBe('sales');
    expect(result.portable.flow.nodes[0]!.params.inputs).toMatchObject({ intervalSeconds: 300, ignoreOwnWrites: true });
    expect(result.portable.problems).toEqual([]);
  });

  it('the same file written as JSON (YAML includes JSON)', () => {
    const json = JSON.stringify({
      format: 'dynamics-flow-designer/flow',
      formatVersion: 1,
      accounts: { sales: { label: 'Sales account' } },
      flow: leadFlow(),
    });
    const result = parsePortableFlow(json);
    expect(result.ok).toBe(true);
  });

  it('a template file with its template block', () => {
    const result = parsePortableFlow(
      file({
        format: 'dynamics-flow-designer/template',
        template: { title: 'Log new leads', summary: 'Logs every new lead.', timeSaved: 'A minute per lead.', keywords: ['lead'] },
      }),
    );
    expect(result.ok && result.portable.template?.keywords).toEqual(['lead']);
  });

  it('an older flow schemaVersion, migrated by the model', () => {
    const v1 = fixture('v1/trigger-and-action');
    for (const node of v1.nodes as { params: { accountId?: string } }[]) node.params.accountId = 'sales';
    const result = parsePortableFlow(file({ flow: v1 }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.portable.flow.schemaVersion).toBe(2);
    expect(result.portable.flow.nodes.map((n) => n.params.accountId)).toEqual(['sales', 'sales']);
  });

  it('a half-built draft, with its structural problems listed', () => {
    const doc = fixture('v2/toolbox-log');
    doc.edges = [];
    const result = parsePortableFlow(file({ accounts: {}, flow: doc }));
    expect(result.ok).toBe(true);
    expect(result.ok && result.portable.problems.map((p) => p.code)).toContain('unreachable');
  });

  it('a few YAML aliases', () => {
    const text = [
      'format: dynamics-flow-designer/flow',
      'formatVersion: 1',
      'accounts: {}',
      'flow:',
      '  schemaVersion: 2',
      '  name: &n Aliased',
      '  description: *n',
      '  nodes:',
      '    - { id: t, type: manual.trigger, typeVersion: 1, position: &p { x: 0, y: 0 }, params: { inputs: {} } }',
      '  edges: []',
    ].join('\n');
    const result = parsePortableFlow(text);
    expect(result.ok && result.portable.flow.description).toBe('Aliased');
  });
});

describe('parsePortableFlow refuses', () => {
  it('a file over 1 MiB: too_large', () => {
    expect(MAX_PORTABLE_FLOW_BYTES).toBe(1024 * 1024);
    const big = `${file()}\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    expect(refused(big).code).toBe('too_large');
    // Counted in UTF-8 bytes: 400,000 three-byte characters are 1.2 MB though only 400,000 long.
    expect(refused(`${file()}\n# ${'€'.repeat(400_000)}\n`).code).toBe('too_large');
  });

  it('an alias bomb ("billion laughs"): too_large, quickly', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    ].join('\n');
    const started = performance.now();
    expect(refused(bomb).code).toBe('too_large');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('few aliases that each repeat a large value: too_large', () => {
    const text = `big: &big "${'x'.repeat(500_000)}"\nrepeat: [*big, *big, *big, *big, *big, *big]\n`;
    expect(refused(text).code).toBe('too_large');
  });

  it('deep nesting, in flow style, JSON and block style: too_deep, without spending long on it', () => {
    const started = performance.now();
    expect(refused('['.repeat(500_000) + ']'.repeat(500_000)).code).toBe('too_deep');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(refused('['.repeat(100_000) + ']'.repeat(100_000)).code).toBe('too_deep');
    expect(refused(`{"a":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_001)}`).code).toBe('too_deep');
    expect(refused('- '.repeat(20_000) + 'x').code).toBe('too_deep');
    const block = Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1';
    expect(refused(block).code).toBe('too_deep');
  });

  it('text that is not YAML: not_yaml, with where', () => {
    const error = refused('format: [unclosed\nflow: "x');
    expect(error.code).toBe('not_yaml');
    expect(error.message).toMatch(/line \d+/);
    expect(refused('').code).toBe('not_yaml');
    expect(refused('a: 1\n---\nb: 2\n').code).toBe('not_yaml');
  });

  it('duplicate keys, even "1" and 1: not_yaml, naming the key and its line', () => {
    const error = refused('format: dynamics-flow-designer/flow\nformat: dynamics-flow-designer/flow\n');
    expect(error.code).toBe('not_yaml');
    expect(error.message).toBe('Map keys must be unique: "format" appears twice (line 2, column 1).');
    expect(refused('a: { 1: x, "1": y }').code).toBe('not_yaml');
  });

  it('a duplicate among 50,000 keys, found in one pass (a pairwise check took a minute)', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`);
    const started = performance.now();
    expect(refused([...keys, 'k7: again'].join('\n')).message).toContain('"k7" appears twice');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('more entries than a flow at the model ceilings has: too_large, before parsing', () => {
    const started = performance.now();
    expect(refused(`a: [${'1,'.repeat(200_000)}1]`).code).toBe('too_large');
    expect(refused(Array.from({ length: 130_000 }, () => '- 1').join('\n')).code).toBe('too_large');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('tags such as !!js/function, custom tags and !!binary: not_yaml', () => {
    for (const tagged of [
      'format: !!js/function "function () { return process.exit() }"',
      'format: !custom dynamics-flow-designer/flow',
      'format: !!binary ZG9n',
      'flow: !!map { a: 1 }',
      'format: !!str dynamics-flow-designer/flow',
    ]) {
      const error = refused(`${tagged}\nformatVersion: 1\n`);
      expect(error.code, tagged).toBe('not_yaml');
      expect(error.message).toMatch(/tags are not allowed/);
    }
  });

  it('a map key that is a list or map: not_yaml', () => {
    expect(refused('? [a, b]\n: 1\n').code).toBe('not_yaml');
  });

  it('__proto__, constructor and prototype keys anywhere: invalid_document, and no prototype is touched', () => {
    const cases = [
      '__proto__: { polluted: true }\nformat: dynamics-flow-designer/flow\n',
      file().replace('flow:\n', 'flow:\n  constructor: { prototype: { polluted: true } }\n'),
      JSON.stringify({ format: 'dynamics-flow-designer/flow', formatVersion: 1, accounts: { prototype: { label: 'x' } } }),
      file().replace('intervalSeconds: 300', 'intervalSeconds: 300\n          __proto__: { polluted: true }'),
    ];
    for (const text of cases) {
      const error = refused(text);
      expect(error.code, text.slice(0, 60)).toBe('invalid_document');
      expect(error.problems?.[0]?.code).toBe('prototype_key');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a top-level array, string or number: wrong_format', () => {
    for (const text of ['[1, 2, 3]', '"hello"', '42', 'null', '# only a comment']) expect(refused(text).code, text).toBe('wrong_format');
  });

  it('another format or none: wrong_format', () => {
    expect(refused(file({ format: 'n8n/workflow' })).code).toBe('wrong_format');
    expect(refused(stringify({ nodes: [], connections: {} })).code).toBe('wrong_format');
    expect(refused(file({ formatVersion: 'one' })).code).toBe('wrong_format');
  });

  it('a future formatVersion: newer_format', () => {
    const error = refused(file({ formatVersion: 2 }));
    expect(error.code).toBe('newer_format');
    expect(error.message).toMatch(/newer version of the app/);
  });

  it('a future flow schemaVersion: newer_schema', () => {
    const error = refused(file({ flow: { ...leadFlow(), schemaVersion: 3 } }));
    expect(error.code).toBe('newer_schema');
    expect(error.message).toMatch(/schema version 3/);
  });

  it('a node type outside the catalog: unknown_node_type, naming it', () => {
    const doc = fixture('v2/toolbox-log');
    (doc.nodes as { type: string }[])[1]!.type = 'n8n-nodes-base.slack';
    const error = refused(file({ accounts: {}, flow: doc }));
    expect(error.code).toBe('unknown_node_type');
    expect(error.message).toContain('"n8n-nodes-base.slack"');
    expect(error.problems).toEqual([expect.objectContaining({ nodeId: 'sLog00000001', code: 'unknown_node_type' })]);
  });

  it('wrong types inside the flow: invalid_document with the model problems', () => {
    const doc = leadFlow();
    (doc.nodes as { position: unknown }[])[0]!.position = 'top left';
    doc.edges = 'none';
    const error = refused(file({ flow: doc }));
    expect(error.code).toBe('invalid_document');
    expect(error.problems?.length).toBeGreaterThan(0);
    expect(error.problems?.every((p) => typeof p.message === 'string' && p.code === 'schema')).toBe(true);
    expect(refused(file({ flow: 'a flow' })).code).toBe('invalid_document');
    expect(refused(file({ flow: { schemaVersion: 2, name: 'x', nodes: [], edges: [], extra: 1 } })).code).toBe('invalid_document');
  });

  it('wrong types in the envelope: invalid_document naming the field', () => {
    const error = refused(file({ accounts: { Sales: { label: 'x' } } }));
    expect(error.code).toBe('invalid_document');
    expect(error.problems?.[0]?.field).toMatch(/^accounts/);
    expect(refused(file({ accounts: ['sales'] })).code).toBe('invalid_document');
    expect(refused(file({ template: { title: 'x', summary: 'y', timeSaved: 'z' } })).code).toBe('invalid_document');
    expect(refused(file({ format: 'dynamics-flow-designer/template' })).code).toBe('invalid_document');
    expect(refused(file({ extra: true })).code).toBe('invalid_document');
  });

  it('non-finite numbers (.inf, .nan): invalid_document', () => {
    const error = refused(file().replace('x: 0', 'x: .inf'));
    expect(error.code).toBe('invalid_document');
  });

  it('a step naming an undeclared placeholder, or a real-looking account id: undeclared_placeholder', () => {
    const error = refused(file({ accounts: { other: { label: 'Other' } } }));
    expect(error.code).toBe('undeclared_placeholder');
    expect(error.problems).toEqual([expect.objectContaining({ nodeId: 'tLead0000001', field: 'params.accountId' })]);
    const withRealId = leadFlow();
    (withRealId.nodes as { params: { accountId: string } }[])[0]!.params.accountId = '01JB8ZJ5Q3M4N5P6R7S8T9V0WX';
    expect(refused(file({ flow: withRealId })).code).toBe('undeclared_placeholder');
  });

  it('a declared placeholder no step uses: unused_placeholder', () => {
    const error = refused(file({ accounts: { sales: { label: 'Sales' }, spare: { label: 'Spare' } } }));
    expect(error.code).toBe('unused_placeholder');
    expect(error.message).toContain('"spare"');
  });
});
