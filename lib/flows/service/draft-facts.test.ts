/** draftFactsOf: the trigger, accounts and document problems of a stored draft, read without Dynamics. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFlow } from '../model/check-flow';
import { expressionSyntaxProblems } from '../validation/expression-syntax';
import { cachedDraftFacts, draftFactsOf } from './draft-facts';

const dir = new URL('../../../test/fixtures/flows/v2/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');

describe('draftFactsOf', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.json')))('finds no problem in the valid fixture %s, and its trigger', (file) => {
    const facts = draftFactsOf(read(file));
    const doc = checkFlow(JSON.parse(read(file)));
    expect(facts.problemCount).toBe(0);
    expect(facts.triggerType).toBe(doc.document!.nodes[0]!.type);
  });

  it('counts the problems checkFlow and the expression check find, and still reads an unfinished draft', () => {
    const doc = JSON.parse(read('dynamics-action-create.json')) as { nodes: { params: Record<string, unknown> }[] };
    delete doc.nodes[1]!.params.accountId;
    (doc.nodes[1]!.params.inputs as { fields: Record<string, unknown> }).fields.name = { expr: '$steps.(' };
    const facts = draftFactsOf(JSON.stringify(doc));
    const checked = checkFlow(doc);
    const expected =
      (checked.ok ? 0 : checked.problems.length) + (checked.document ? expressionSyntaxProblems(checked.document).length : 0);
    expect(facts.problemCount).toBeGreaterThan(0);
    expect(facts.problemCount).toBe(expected);
    expect(facts.triggerType).toBe('manual.trigger');
    expect(facts.accountIds).toEqual([]);
  });

  it('names each account once with how many steps run as it', () => {
    const doc = JSON.parse(read('dynamics-action-create.json')) as { nodes: { id: string; params: Record<string, unknown> }[] };
    doc.nodes.push({ ...doc.nodes[1]!, id: 'sAction00002' });
    const facts = draftFactsOf(JSON.stringify(doc));
    expect(facts.accountIds).toEqual(['6f1c2b0e-5d2a-4e8b-9a51-0c7d3e4f5a61']);
    expect(facts.stepsPerAccount).toEqual({ '6f1c2b0e-5d2a-4e8b-9a51-0c7d3e4f5a61': 2 });
  });

  it('gives a stored text that is not JSON one problem and no trigger', () => {
    expect(draftFactsOf('{not json')).toEqual({ triggerType: null, accountIds: [], stepsPerAccount: {}, problemCount: 1 });
  });

  it('keeps the facts of a version by its id (a version never changes)', () => {
    const first = cachedDraftFacts('version-1', read('toolbox-log.json'));
    expect(cachedDraftFacts('version-1', '{not json')).toBe(first);
    expect(cachedDraftFacts('version-2', '{not json').problemCount).toBe(1);
  });
});
