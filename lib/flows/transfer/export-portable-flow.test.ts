/** Exporting: a readable, stable YAML file with placeholders for accounts and nothing secret in it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkFlow } from '../model/check-flow';
import type { FlowDocument } from '../model/schema';
import { flowDoc } from '@/test/support/flow-docs';
import { EXPORT_HEADER, exportPortableFlow, placeholderSlug, UNKNOWN_ACCOUNT_LABEL } from './export-portable-flow';
import { parsePortableFlow } from './parse-portable-flow';

const fixture = (name: string): FlowDocument => {
  const raw = JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as unknown;
  const checked = checkFlow(raw);
  if (!checked.document) throw new Error(`${name} does not parse`);
  return checked.document;
};

const ACCOUNT_A = '01JB8ZJ5Q3M4N5P6R7S8T9V0WA';
const ACCOUNT_B = '01JB8ZJ5Q3M4N5P6R7S8T9V0WB';
const ACCOUNT_C = '01JB8ZJ5Q3M4N5P6R7S8T9V0WC';

/** A lead trigger on one account, a create on another, a retrieve on a third with the same display name as the first. */
function threeAccountFlow(): FlowDocument {
  const checked = checkFlow(
    flowDoc([
      { id: 'trigger', type: 'dynamics.lead.new', accountId: ACCOUNT_A },
      { id: 'create', type: 'dynamics.contact.create', accountId: ACCOUNT_B, inputs: { fields: { lastname: 'Durand' } } },
      { id: 'again', type: 'dynamics.account.retrieve', accountId: ACCOUNT_C },
      { id: 'log', type: 'toolbox.log', inputs: { message: 'done' } },
      { id: 'reuse', type: 'dynamics.account.retrieve', accountId: ACCOUNT_A },
    ]),
  );
  if (!checked.document) throw new Error('test flow does not parse');
  return checked.document;
}

const names = new Map([
  [ACCOUNT_A, 'Contoso Sales (EU)'],
  [ACCOUNT_B, 'Fabrikam — Ventes'],
  [ACCOUNT_C, 'Contoso Sales (EU)'],
]);

describe('exportPortableFlow', () => {
  it('writes the header comment, then format, formatVersion, accounts and flow in that order', () => {
    const text = exportPortableFlow(fixture('dynamics-event-new'), new Map([['6f1c2b0e-5d2a-4e8b-9a51-0c7d3e4f5a61', 'Sales']]));
    expect(text.split('\n')[0]).toBe(`#${EXPORT_HEADER}`);
    expect(Object.keys(parse(text) as object)).toEqual(['format', 'formatVersion', 'accounts', 'flow']);
    const topLevel = text.split('\n').filter((line) => /^[a-z]/i.test(line));
    expect(topLevel.map((line) => line.split(':')[0])).toEqual(['format', 'formatVersion', 'accounts', 'flow']);
  });

  it("keeps the schema's field order inside the flow, nodes, params and edges", () => {
    const file = parse(exportPortableFlow(fixture('http-request'), new Map())) as {
      flow: { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] } & Record<string, unknown>;
    };
    expect(Object.keys(file.flow)).toEqual(['schemaVersion', 'name', 'description', 'nodes', 'edges']);
    expect(Object.keys(file.flow.nodes[1]!)).toEqual(['id', 'type', 'typeVersion', 'name', 'position', 'params']);
    expect(Object.keys(file.flow.nodes[1]!.params as object)).toEqual(['inputs', 'retry', 'onError']);
    expect(Object.keys((file.flow.nodes[1]!.params as { retry: object }).retry)).toEqual(['maxAttempts', 'delaySeconds', 'backoff']);
    expect(Object.keys(file.flow.edges[0]!)).toEqual(['id', 'from', 'to']);
  });

  it('is stable: the same document exports to the same text, whatever its key order', () => {
    const doc = threeAccountFlow();
    const shuffled = JSON.parse(
      JSON.stringify(doc, (_key, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
      ),
    ) as FlowDocument;
    // Inputs keep the author's own order (a map of fields is theirs); everything the schema defines is put in its order.
    for (const node of shuffled.nodes) node.params.inputs = doc.nodes.find((n) => n.id === node.id)!.params.inputs;
    const first = exportPortableFlow(doc, names);
    expect(exportPortableFlow(doc, names)).toBe(first);
    expect(exportPortableFlow(shuffled, names)).toBe(first);
  });

  it('replaces each distinct account id by a placeholder named from its display name, de-duplicated, labelled with the name', () => {
    const text = exportPortableFlow(threeAccountFlow(), names);
    const file = parse(text) as { accounts: Record<string, { label: string }>; flow: { nodes: { params: { accountId?: string } }[] } };
    expect(file.accounts).toEqual({
      'contoso-sales-eu': { label: 'Contoso Sales (EU)' },
      'fabrikam-ventes': { label: 'Fabrikam — Ventes' },
      'contoso-sales-eu-2': { label: 'Contoso Sales (EU)' },
    });
    expect(file.flow.nodes.map((n) => n.params.accountId)).toEqual([
      'contoso-sales-eu',
      'fabrikam-ventes',
      'contoso-sales-eu-2',
      undefined,
      'contoso-sales-eu',
    ]);
    for (const id of [ACCOUNT_A, ACCOUNT_B, ACCOUNT_C]) expect(text).not.toContain(id);
    expect(parsePortableFlow(text).ok).toBe(true);
  });

  it('names an account that no longer exists by a generic label, never by its id', () => {
    const text = exportPortableFlow(threeAccountFlow(), new Map());
    const file = parse(text) as { accounts: Record<string, { label: string }> };
    expect(Object.keys(file.accounts)).toEqual(['dynamics-365-account', 'dynamics-365-account-2', 'dynamics-365-account-3']);
    expect(Object.values(file.accounts).every((a) => a.label === UNKNOWN_ACCOUNT_LABEL)).toBe(true);
    for (const id of [ACCOUNT_A, ACCOUNT_B, ACCOUNT_C]) expect(text).not.toContain(id);
  });

  it('empties literal secret headers and query parameters of an HTTP request, and says so in the header', () => {
    const doc = fixture('http-request');
    const http = doc.nodes[1]!.params.inputs as { headers: Record<string, unknown>; query: Record<string, unknown> };
    http.headers.Authorization = 'Bearer sk_live_canary_1234';
    http.headers['X-Api-Key'] = 'canary-key-5678';
    http.headers['X-Trace'] = { expr: '$run.id' };
    http.query.access_token = 'canary-token-9012';
    http.headers['x\nformat: evil\r\nauth-token'] = 'canary-injected';
    const text = exportPortableFlow(doc, new Map());
    expect(text).not.toMatch(/canary/);
    expect(text).toMatch(/^# Secret values were left out; fill them in after importing: step sHttp0000001 header Authorization, /m);
    const parsed = parsePortableFlow(text);
    expect(parsed.ok).toBe(true);
    const inputs = parsed.ok ? (parsed.portable.flow.nodes[1]!.params.inputs as typeof http) : http;
    expect(inputs.headers).toEqual({
      'content-type': 'application/json',
      Authorization: '',
      'X-Api-Key': '',
      'X-Trace': { expr: '$run.id' },
      'x\nformat: evil\r\nauth-token': '',
    });
    expect(text).toContain('header x format: evil  auth-token');
    expect(inputs.query).toEqual({ source: 'dfd', access_token: '' });
  });

  it('is readable: positions and edge ends on one line, multi-line strings as blocks, no aliases', () => {
    const doc = fixture('toolbox-log');
    doc.description = 'First line.\nSecond line.';
    doc.nodes[1]!.position = doc.nodes[0]!.position; // the same object twice must not become an alias
    const text = exportPortableFlow(doc, new Map());
    expect(text).toContain('position: { x: 0, y: 0 }');
    expect(text).toMatch(/from: \{ node: tManual00001, handle: next \}/);
    expect(text).toContain('description: |-\n    First line.\n    Second line.');
    expect(text).not.toMatch(/[&*]a\d/);
  });

  it('writes a template file with its template block after formatVersion', () => {
    const template = { title: 'Log leads', summary: 'Logs each new lead.', timeSaved: 'A minute a lead.', keywords: ['lead', 'log'] };
    const text = exportPortableFlow(fixture('toolbox-log'), new Map(), { template });
    const file = parse(text) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual(['format', 'formatVersion', 'template', 'accounts', 'flow']);
    expect(file.format).toBe('dynamics-flow-designer/template');
    expect(text).toContain('keywords: [ lead, log ]');
    expect(parsePortableFlow(text).ok).toBe(true);
  });
});

describe('placeholderSlug', () => {
  it.each([
    ['Contoso Sales (EU)', 'contoso-sales-eu'],
    ['Dynamics 365 sandbox — Fabrikam', 'dynamics-365-sandbox-fabrikam'],
    ['Société Générale', 'societe-generale'],
    ['365 Production', 'account-365-production'],
    ['日本の営業', 'account'],
    ['   ', 'account'],
    ['a'.repeat(80), 'a'.repeat(40)],
    [`${'b'.repeat(39)} x`, 'b'.repeat(39)],
  ])('%s → %s', (name, slug) => {
    expect(placeholderSlug(name)).toBe(slug);
    expect(slug).toMatch(/^[a-z][a-z0-9-]{0,39}$/);
  });
});

describe('docs/flow-document.md "Export and import"', () => {
  it('shows exactly what exporting its flow writes, and that file imports', () => {
    const docs = readFileSync(new URL('../../../docs/flow-document.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('## Export and import'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const lead = fixture('dynamics-event-new');
    const document = {
      ...lead,
      name: 'Leads to log',
      nodes: [{ ...lead.nodes[0]!, params: { ...lead.nodes[0]!.params, inputs: { intervalSeconds: 300, ignoreOwnWrites: true } } }],
      edges: [],
    };
    expect(exportPortableFlow(document, new Map([[lead.nodes[0]!.params.accountId!, 'Sales sandbox']]))).toBe(example);
    expect(parsePortableFlow(example).ok).toBe(true);
  });
});
