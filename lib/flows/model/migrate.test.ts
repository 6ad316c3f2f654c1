import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOLBOX } from '../../connectors/toolbox';
import { ACTION_KINDS, actionId, EVENT_KINDS, eventId } from '../../dynamics/connector/ids';
import { migrateDocument } from './migrate';
import { kindOf } from './node-kinds';
import { CURRENT_SCHEMA_VERSION, flowDocumentSchema } from './schema';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'flows');
const load = (version: string) =>
  readdirSync(join(FIXTURES, version))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(FIXTURES, version, f), 'utf8')) as unknown] as const);

const v1 = load('v1');
const v2 = load('v2');

describe('golden fixtures', () => {
  it.each([...v1, ...v2])('%s migrates to the current version, parses and round-trips', (_name, raw) => {
    const result = migrateDocument(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.document.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    const serialized = JSON.parse(JSON.stringify(result.document)) as unknown;
    const again = flowDocumentSchema.parse(serialized);
    expect(again).toEqual(result.document);
    // A migrated document read again is the same document: migration is idempotent.
    expect(migrateDocument(serialized)).toEqual({ ok: true, document: result.document, fromVersion: CURRENT_SCHEMA_VERSION });
  });

  it('a v2 fixture stands for every node kind', () => {
    const types = new Set(v2.flatMap(([, raw]) => (raw as { nodes: { type: string }[] }).nodes.map((n) => kindOf(n.type)!.key)));
    const toolboxIds = TOOLBOX.flatMap((app) => [...app.events, ...app.actions].map((e) => e.id));
    const expected = [
      ...EVENT_KINDS.map((k) => kindOf(eventId('lead', k))!.key),
      ...ACTION_KINDS.map((k) => kindOf(actionId('account', k))!.key),
      ...toolboxIds,
      'toolbox.fail',
    ];
    expect([...types].sort()).toEqual([...new Set(expected)].sort());
  });

  it('every catalog id has a node kind', () => {
    for (const app of TOOLBOX) for (const entry of [...app.events, ...app.actions]) expect(kindOf(entry.id), entry.id).toBeDefined();
    for (const k of EVENT_KINDS) expect(kindOf(eventId('new_project', k))?.category).toBe('trigger');
    for (const k of ACTION_KINDS) expect(kindOf(actionId('new_project', k))?.category).toBe('action');
  });
});

describe('v1 → v2', () => {
  it('lifts the seed document losslessly: ids, types and accountId where flows-using-accounts looks', () => {
    const raw = { schemaVersion: 1, nodes: [{ id: 'trigger', type: 'dynamics.lead.new', params: { accountId: 'acc-1' } }], edges: [] };
    const result = migrateDocument(raw, { name: 'Leads', description: 'From the flow row' });
    expect(result).toEqual({
      ok: true,
      fromVersion: 1,
      document: {
        schemaVersion: 2,
        name: 'Leads',
        description: 'From the flow row',
        nodes: [
          {
            id: 'trigger',
            type: 'dynamics.lead.new',
            typeVersion: 1,
            position: { x: 0, y: 0 },
            params: { accountId: 'acc-1', inputs: { intervalSeconds: 300, ignoreOwnWrites: true } },
          },
        ],
        edges: [],
      },
    });
    if (result.ok) expect(JSON.stringify(result.document)).toContain('"accountId":"acc-1"');
  });

  it('carries every other v1 param over as an input and v1 edges as next edges', () => {
    const raw = v1.find(([f]) => f === 'trigger-and-action.json')![1];
    const result = migrateDocument(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.document.nodes.map((n) => [n.id, n.params.inputs])).toEqual([
      ['trigger', { intervalSeconds: 120, ignoreOwnWrites: true }],
      ['create', { lastname: 'Durand' }],
    ]);
    expect(result.document.edges).toEqual([{ id: 'e1', from: { node: 'trigger', handle: 'next' }, to: { node: 'create' } }]);
  });

  it('a v1 param the kind does not know is a problem on that node, not dropped', () => {
    const raw = { schemaVersion: 1, nodes: [{ id: 'log', type: 'toolbox.log', params: { message: 'x', colour: 'red' } }], edges: [] };
    const result = migrateDocument(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([expect.objectContaining({ nodeId: 'log', code: 'schema' })]);
  });
});

describe('versions', () => {
  it('refuses a future schemaVersion with a clear message', () => {
    const result = migrateDocument({ schemaVersion: CURRENT_SCHEMA_VERSION + 1, nodes: [], edges: [] });
    expect(result).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'future_version', field: 'schemaVersion' })] });
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/newer version of the app/);
  });

  it.each([[null], [[]], ['{}'], [{}], [{ schemaVersion: '2' }], [{ schemaVersion: 0 }], [{ schemaVersion: 1.5 }]])('refuses %j', (raw) => {
    expect(migrateDocument(raw).ok).toBe(false);
  });
});

describe('unknown fields are refused, not stripped', () => {
  // Refused because a stripped typo would silently change what the flow does, and the next save would lose it.
  const base = JSON.parse(readFileSync(join(FIXTURES, 'v2', 'toolbox-log.json'), 'utf8')) as Record<string, unknown> & {
    nodes: Record<string, unknown>[];
    edges: Record<string, unknown>[];
  };
  const clone = () => structuredClone(base);

  it('at the top level', () => {
    const result = migrateDocument({ ...clone(), owner: 'x' });
    expect(result.ok).toBe(false);
  });

  it('on a node, naming the node', () => {
    const doc = clone();
    doc.nodes[1]!.colour = 'red';
    const result = migrateDocument(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ nodeId: 'sLog00000001', code: 'schema' });
  });

  it('in params and in inputs', () => {
    const a = clone();
    (a.nodes[1]!.params as Record<string, unknown>).onErorr = 'route';
    expect(migrateDocument(a).ok).toBe(false);
    const b = clone();
    (b.nodes[1]!.params as { inputs: Record<string, unknown> }).inputs.colour = 'red';
    const result = migrateDocument(b);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ nodeId: 'sLog00000001', field: 'params.inputs' });
  });

  it('on an edge', () => {
    const doc = clone();
    doc.edges[0]!.label = 'x';
    expect(migrateDocument(doc).ok).toBe(false);
  });
});
