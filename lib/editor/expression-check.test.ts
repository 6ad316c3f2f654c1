import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { checkExpression, formatPreview, previewExpression, type PreviewSample } from './expression-check';
import { JSONATA_FUNCTIONS } from './jsonata-functions';

const sample: PreviewSample = {
  trigger: { record: { emailaddress1: 'ada@example.com', lastname: 'Lovelace' } },
  steps: {
    abc123: { status: 'succeeded', output: { lastname: 'Lovelace', lines: [{ qty: 2 }, { qty: 3 }] } },
    fail1: { status: 'failed', error: { code: 'not_found', message: 'No such record' } },
  },
  vars: { total: 40 },
  item: { name: 'first' },
  index: 2,
  run: { id: 'run-1', flowId: 'flow-1', mode: 'test' },
};

describe('checkExpression', () => {
  it('accepts valid JSONata', () => {
    expect(checkExpression('$uppercase($trigger.record.lastname)')).toEqual({ ok: true });
    expect(checkExpression('($x := 1; $x + $vars.total) /* sum */')).toEqual({ ok: true });
  });

  it('refuses a blank text without a position', () => {
    expect(checkExpression('   ')).toEqual({ ok: false, message: 'Write an expression.' });
  });

  it('says syntax errors in plain words, with the range of the offending token', () => {
    const r = checkExpression('$steps.abc123.output)');
    expect(r).toMatchObject({ ok: false, code: 'S0201', position: 21, from: 20, to: 21 });
    expect(!r.ok && r.message).toBe('“)” is not expected here.');

    const open = checkExpression('$lookup($vars, "a"');
    expect(open).toMatchObject({ ok: false, code: 'S0203', message: 'Expected “)” before the end of the expression.' });
    // At the end there is no token to underline: the last character is.
    expect(open).toMatchObject({ from: 17, to: 18 });

    expect(checkExpression('"abc')).toMatchObject({ ok: false, code: 'S0101', message: expect.stringContaining('not closed') });
    expect(checkExpression('a := 1')).toMatchObject({ ok: false, code: 'S0212', from: 0, to: 1 });
    expect(checkExpression('/* note')).toMatchObject({ ok: false, code: 'S0106', from: 0, to: 1 });
    expect(checkExpression('x ~> ')).toMatchObject({ ok: false, code: 'S0207', from: 4, to: 5 });
  });

  it('keeps JSONata’s message for codes it has no plain wording for', () => {
    expect(checkExpression('function(x){ x }')).toMatchObject({
      ok: false,
      code: 'S0208',
      message: 'Parameter 1 of function definition must be a variable name (start with $)',
    });
  });
});

describe('previewExpression', () => {
  it('binds $trigger, $steps, $vars, $item, $index and $run as a run does', async () => {
    expect(await previewExpression('$trigger.record.emailaddress1', sample)).toEqual({ ok: true, value: 'ada@example.com' });
    expect(await previewExpression('$sum($steps.abc123.output.lines.qty)', sample)).toEqual({ ok: true, value: 5 });
    expect(await previewExpression('$steps.fail1.error.code', sample)).toEqual({ ok: true, value: 'not_found' });
    expect(await previewExpression('$vars.total + $index', sample)).toEqual({ ok: true, value: 42 });
    expect(await previewExpression('$item.name & " of " & $run.mode', sample)).toEqual({ ok: true, value: 'first of test' });
  });

  it('binds the root $ to { trigger, steps, vars, item }', async () => {
    expect(await previewExpression('trigger.record.lastname = $trigger.record.lastname', sample)).toEqual({ ok: true, value: true });
    expect(await previewExpression('$keys($)', sample)).toEqual({ ok: true, value: ['trigger', 'steps', 'vars', 'item'] });
  });

  it('gives undefined for no match, and missing parts of the sample are missing', async () => {
    expect(await previewExpression('$trigger.record.nope', sample)).toEqual({ ok: true, value: undefined });
    expect(await previewExpression('$exists($item)', { trigger: {} })).toEqual({ ok: true, value: false });
    expect(await previewExpression('$count($keys($steps))', {})).toEqual({ ok: true, value: 0 });
  });

  it('gives JSON data: functions inside are dropped, a function as the result is refused', async () => {
    expect(await previewExpression('{ "a": 1, "f": function($x){ $x } }', sample)).toEqual({ ok: true, value: { a: 1 } });
    expect(await previewExpression('function($x){ $x }', sample)).toMatchObject({ ok: false, code: 'expression_not_data' });
    expect(await previewExpression('$uppercase', sample)).toMatchObject({ ok: false, code: 'expression_not_data' });
  });

  it('reports syntax and evaluation errors with their code and position', async () => {
    expect(await previewExpression('$vars.total +', sample)).toMatchObject({ ok: false, code: 'S0207' });
    const typeError = await previewExpression('$vars.total + "a"', sample);
    expect(typeError).toMatchObject({ ok: false, code: 'T2002', position: 13 });
    expect(await previewExpression('$error("stop here")', sample)).toMatchObject({ ok: false, code: 'D3137', message: 'stop here' });
    expect(await previewExpression('', sample)).toMatchObject({ ok: false, code: 'expression_empty' });
  });

  it('stops a runaway expression at the deadline (JSONata’s D1012) and deep recursion (D1011)', async () => {
    const started = Date.now();
    const loop = await previewExpression('($f := function($x){ $x > 0 ? $f($x) : 0 }; $f(1))', sample, { timeoutMs: 100 });
    expect(loop).toEqual({
      ok: false,
      code: 'D1012',
      message: 'The expression took longer than 100 ms in the preview and was stopped.',
      position: expect.any(Number),
    });
    expect(Date.now() - started).toBeLessThan(2000);
    const deep = await previewExpression('($f := function($x){ 1 + $f($x) }; $f(1))', sample, { timeoutMs: 5000 });
    expect(deep).toMatchObject({ ok: false, code: 'D1011' });
  });

  it('says the sequence and range limits plainly', async () => {
    expect(await previewExpression('$count([1..5000000])', sample)).toEqual({
      ok: false,
      code: 'D2015',
      message: 'The expression builds a sequence of more than 100,000 items and was stopped.',
      position: expect.any(Number),
    });
    expect(await previewExpression('$count([1..20000000])', sample)).toMatchObject({
      ok: false,
      code: 'D2014',
      message: 'The range asks for 20000000 items; a range may hold at most 10,000,000.',
    });
  });

  it('refuses results past the size limit', async () => {
    expect(await previewExpression('$pad("", 50)', sample, { maxOutputChars: 10 })).toMatchObject({ ok: false, code: 'output_too_large' });
    expect(await previewExpression('[1..20]', sample, { maxOutputChars: 10 })).toMatchObject({ ok: false, code: 'output_too_large' });
    expect(await previewExpression('[1..3]', sample, { maxOutputChars: 10 })).toEqual({ ok: true, value: [1, 2, 3] });
  });
});

describe('formatPreview', () => {
  it('shows compact JSON, cut with an ellipsis, and says when nothing matched', () => {
    expect(formatPreview({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(formatPreview('x'.repeat(50), 10)).toBe(`"${'x'.repeat(8)}…`);
    expect(formatPreview(undefined)).toMatch(/^no value/);
    expect(formatPreview(null)).toBe('null');
  });
});

describe('JSONATA_FUNCTIONS', () => {
  it('lists exactly the functions jsonata binds, each with a signature and a description', async () => {
    // Every listed name is a function in jsonata…
    for (const fn of JSONATA_FUNCTIONS) {
      expect(await jsonata(`$type(${fn.name})`).evaluate({}), fn.name).toBe('function');
      expect(fn.signature).toMatch(/^\(.*\)$/);
      expect(fn.description.length).toBeGreaterThan(5);
    }
    // …and every function jsonata binds is listed (read from its source, so an upgrade shows here).
    const source = readFileSync(createRequire(import.meta.url).resolve('jsonata'), 'utf8');
    const bound = [...source.matchAll(/(?:staticFrame|environment)\.bind\('(\w+)', defineFunction\(/g)].map((m) => `$${m[1]}`);
    expect(bound.length).toBeGreaterThan(60);
    expect(new Set(JSONATA_FUNCTIONS.map((fn) => fn.name))).toEqual(new Set(bound));
  });
});
