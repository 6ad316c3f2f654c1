import { describe, expect, it } from 'vitest';
import { completeExpression, type ExpressionReference } from './expression-completion';
import { JSONATA_FUNCTIONS } from './jsonata-functions';

const refs: ExpressionReference[] = [
  { path: '$trigger.record.emailaddress1', label: 'Trigger › Email', type: 'text' },
  { path: '$steps.abc123.output.lastname', label: 'New lead › Last name', type: 'text' },
  { path: '$steps.abc123.output.leadid', label: 'New lead › Lead' },
  { path: '$steps.zz9.output.total', label: 'Sum › Total', type: 'number' },
];

const at = (text: string, pos = text.length) => completeExpression(text, pos, refs, JSONATA_FUNCTIONS);
const labels = (text: string, pos?: number) => at(text, pos)?.options.map((o) => o.label) ?? null;

describe('completeExpression', () => {
  it('offers the bindings, the references and the functions after a $', () => {
    const r = at('$uppercase(' + '$');
    expect(r?.from).toBe(11);
    const all = r!.options.map((o) => o.label);
    expect(all.slice(0, 6)).toEqual(['$trigger', '$steps', '$vars', '$item', '$index', '$run']);
    expect(all).toContain('$steps.abc123.output.lastname');
    expect(all).toContain('$uppercase');
    expect(all).toHaveLength(6 + refs.length + JSONATA_FUNCTIONS.length);
  });

  it('gives references their words and type, functions their signature and a call to insert', () => {
    const r = at('$');
    expect(r!.options.find((o) => o.label === '$steps.abc123.output.lastname')).toMatchObject({
      detail: 'New lead › Last name · text',
      kind: 'property',
    });
    expect(r!.options.find((o) => o.label === '$steps.abc123.output.leadid')?.detail).toBe('New lead › Lead');
    expect(r!.options.find((o) => o.label === '$substring')).toMatchObject({
      kind: 'function',
      detail: '(str, start, length?)',
      insert: '$substring()',
      cursor: '$substring('.length,
    });
  });

  it('after $steps. offers only what is under it, from the word’s $', () => {
    expect(labels('$steps.')).toEqual(['$steps.abc123.output.lastname', '$steps.abc123.output.leadid', '$steps.zz9.output.total']);
    expect(at('x & $steps.')?.from).toBe(4);
    expect(labels('$steps.abc123.output.l')).toEqual(['$steps.abc123.output.lastname', '$steps.abc123.output.leadid']);
    expect(labels('$trigger.')).toEqual(['$trigger.record.emailaddress1']);
    expect(labels('$vars.')).toBeNull();
  });

  it('completes at the cursor, not at the end of the text', () => {
    expect(at('$ & "x"', 1)?.from).toBe(0);
    expect(at('$trig + 1', 5)?.options[0]?.label).toBe('$trigger');
  });

  it('offers nothing outside a $ word or inside strings, comments and backtick names', () => {
    expect(at('trigger.')).toBeNull();
    expect(at('1 + ')).toBeNull();
    expect(at('"price in $')).toBeNull();
    expect(at('/* see $steps.')).toBeNull();
    expect(at('$item.`a $')).toBeNull();
    // A closed string before the word does not count.
    expect(at('"a" & $st')?.from).toBe(6);
  });
});
