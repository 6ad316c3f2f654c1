/** Binding placeholders to accounts, and the whole round trip: export → parse → bind gives the document back. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFlow } from '../model/check-flow';
import { flowDoc } from '@/test/support/flow-docs';
import { bindAccounts } from './bind-accounts';
import { exportPortableFlow } from './export-portable-flow';
import { parsePortableFlow } from './parse-portable-flow';
import type { PortableFlow } from './portable-flow-schema';

const fixturesDir = (version: string) => new URL(`../../../test/fixtures/flows/${version}/`, import.meta.url);
const read = (version: string, file: string): unknown => JSON.parse(readFileSync(new URL(file, fixturesDir(version)), 'utf8')) as unknown;

/** Every account id in a document, each given a display name (two share one, as real accounts may). */
function accountNames(document: { nodes: { params: { accountId?: string } }[] }): Map<string, string> {
  const ids = [...new Set(document.nodes.map((n) => n.params.accountId).filter((id): id is string => id !== undefined))];
  return new Map(ids.map((id, i) => [id, i < 2 ? 'Sales account' : `Account ${i}`]));
}

/** The mapping an importer would choose: each placeholder back to the account its label came from, in order of appearance. */
function originalAccounts(portable: PortableFlow, document: { nodes: { params: { accountId?: string } }[] }): Record<string, string> {
  const mapping: Record<string, string> = {};
  portable.flow.nodes.forEach((node, i) => {
    const placeholder = node.params.accountId;
    if (placeholder !== undefined) mapping[placeholder] = document.nodes[i]!.params.accountId!;
  });
  return mapping;
}

function roundTrip(raw: unknown) {
  const checked = checkFlow(raw);
  expect(checked.document, JSON.stringify(checked)).toBeDefined();
  const original = checked.document!;
  const names = accountNames(original);
  const text = exportPortableFlow(original, names);
  for (const id of names.keys()) expect(text).not.toContain(id);
  const parsed = parsePortableFlow(text);
  if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
  const bound = bindAccounts(parsed.portable, originalAccounts(parsed.portable, original));
  if (!bound.ok) throw new Error(bound.error.message);
  return { original, bound: bound.document, text };
}

describe('round trip: export → parse → bind', () => {
  const v2 = readdirSync(fixturesDir('v2')).filter((f) => f.endsWith('.json'));
  const v1 = readdirSync(fixturesDir('v1')).filter((f) => f.endsWith('.json'));

  it('covers every fixture', () => {
    expect(v2.length).toBeGreaterThanOrEqual(19);
    expect(v1.length).toBeGreaterThanOrEqual(3);
  });

  it.each(v2)('v2 %s comes back equal', (file) => {
    const { original, bound } = roundTrip(read('v2', file));
    expect(bound).toEqual(original);
  });

  it.each(v1)('v1 %s comes back equal to its migrated document', (file) => {
    const { original, bound } = roundTrip(read('v1', file));
    expect(original.schemaVersion).toBe(2);
    expect(bound).toEqual(original);
  });

  it('a flow using three accounts, two with the same name, comes back with each step on its own account', () => {
    const doc = flowDoc([
      { id: 'trigger', type: 'dynamics.lead.new', accountId: 'acc-one' },
      { id: 'create', type: 'dynamics.contact.create', accountId: 'acc-two', inputs: { fields: { lastname: 'Durand' } } },
      { id: 'find', type: 'dynamics.account.retrieve', accountId: 'acc-three', retry: { maxAttempts: 3 }, onError: 'continue' },
      { id: 'again', type: 'dynamics.account.retrieve', accountId: 'acc-one' },
    ]);
    const { original, bound, text } = roundTrip(doc);
    expect(bound).toEqual(original);
    expect(text).toContain('sales-account-2:');
  });

  it('a half-built draft comes back as the same draft', () => {
    const draft = flowDoc([{ id: 'create', type: 'dynamics.contact.create', accountId: 'acc-one', inputs: { fields: 'not a map' } }]);
    const text = exportPortableFlow(draft as never, new Map([['acc-one', 'Sales']]));
    const parsed = parsePortableFlow(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.portable.problems.length).toBeGreaterThan(0);
    const bound = bindAccounts(parsed.portable, { sales: 'acc-one' });
    expect(bound.ok && bound.document).toEqual({ ...draft, description: '' });
  });
});

describe('bindAccounts', () => {
  const parsed = parsePortableFlow(exportPortableFlow(checkFlow(read('v2', 'toolbox-fail.json')).document!, new Map()));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const portable = parsed.portable;

  it('puts the chosen account on every step of its placeholder, leaving the portable flow untouched', () => {
    const result = bindAccounts(portable, { 'dynamics-365-account': '01JB8ZJ5Q3M4N5P6R7S8T9V0WA' });
    expect(result.ok && result.document.nodes.map((n) => n.params.accountId)).toEqual([
      undefined,
      '01JB8ZJ5Q3M4N5P6R7S8T9V0WA',
      undefined,
      undefined,
    ]);
    expect(portable.flow.nodes[1]!.params.accountId).toBe('dynamics-365-account');
  });

  it('refuses a missing or empty choice with account_required, naming the placeholder by its label', () => {
    for (const accounts of [{}, { 'dynamics-365-account': '' }, { other: 'x' }] as Record<string, string>[]) {
      const result = bindAccounts(portable, accounts);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('account_required');
      expect(result.error.placeholders).toEqual(['dynamics-365-account']);
      expect(result.error.message).toBe('Choose an account for "Dynamics 365 account".');
    }
  });

  it('does not read a placeholder named like an Object property from the prototype', () => {
    const result = bindAccounts(
      { ...portable, accounts: { ...portable.accounts } },
      JSON.parse('{"toString": "x"}') as Record<string, string>,
    );
    expect(result.ok).toBe(false);
  });
});
