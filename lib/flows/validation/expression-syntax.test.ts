import { describe, expect, it } from 'vitest';
import type { FlowNode } from '../model/schema';
import { expressionSyntaxProblems, syntaxError } from './expression-syntax';

const node = (id: string, type: string, inputs: Record<string, unknown>, name?: string): FlowNode =>
  ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, ...(name ? { name } : {}), params: { inputs } }) as FlowNode;

describe('syntaxError', () => {
  it.each([
    '$steps.tLead0000001.output.id',
    '"Lead " & $steps.tLead0000001.output.id',
    '{ "received": $steps.tApi00000001.output.body.email }',
    '$sum($steps.tManual00001.output.lines.amount)',
    '$steps.`my-id`.output',
    '$item.sku',
    'amount > 10 ? "big" : "small"',
  ])('accepts %s', (text) => {
    expect(syntaxError(text)).toBeUndefined();
  });

  it.each([
    ['$a + (', /Expected "\)" before end of expression, at character 6 of 6 \(at the end, after "\$a \+ \("\)/],
    ['foo bar', /Syntax error: "bar"/],
    ['{"a": }', /"}" cannot be used as a unary operator/],
    ['$sum(', /Expected "\)"/],
    ['a[', /Expected "]"/],
    ['"unterminated', /String literal must be terminated/],
  ])('refuses %s, saying where', (text, message) => {
    expect(syntaxError(text)).toMatch(message);
  });

  it("quotes only the text just before a long expression's error", () => {
    const text = `${'$steps.a.output.x & '.repeat(20)}(`;
    const error = syntaxError(text)!;
    expect(error).toContain('…');
    expect(error.length).toBeLessThan(200);
  });

  it('never evaluates: an expression that would loop forever only parses', () => {
    expect(syntaxError('($f := function($x){ $f($x) }; $f(1))')).toBeUndefined();
  });
});

describe('expressionSyntaxProblems', () => {
  it('names the node and the input path of every expression that does not parse', () => {
    const problems = expressionSyntaxProblems({
      nodes: [
        node(
          'if1',
          'toolbox.if',
          {
            condition: { match: 'all', rules: [{ left: { expr: '$x' }, operator: 'eq', right: { expr: '1 +' } }] },
          },
          'Big deal?',
        ),
        node('c1', 'dynamics.contact.create', {
          fields: { lastname: { expr: 'ok' }, firstname: { expr: '(' } },
          nested: [{ a: { expr: ']' } }],
        }),
      ],
    });
    expect(problems.map((p) => [p.nodeId, p.field, p.code])).toEqual([
      ['if1', 'params.inputs.condition.rules.0.right', 'expression_syntax'],
      ['c1', 'params.inputs.fields.firstname', 'expression_syntax'],
      ['c1', 'params.inputs.nested.0.a', 'expression_syntax'],
    ]);
    expect(problems[0]!.message).toMatch(/^An expression of "Big deal\?" \(if1\) cannot be read: /);
  });

  it('leaves literals alone, even ones that look like expressions', () => {
    expect(
      expressionSyntaxProblems({
        nodes: [node('l1', 'toolbox.log', { message: { literal: { expr: '(((' } }, text: '(((' })],
      }),
    ).toEqual([]);
  });
});

describe('functions an expression calls', () => {
  const problems = (expr: string) => expressionSyntaxProblems({ nodes: [node('l1', 'toolbox.log', { message: { expr } })] });

  it.each([
    '$uppercase($steps.a.output.name) & $string($count($steps.a.output.lines))',
    '$map($steps.a.output.lines, function($l) { $l.amount * 2 })',
    '($double := function($x) { $x * 2 }; $double(4))',
    '$fromMillis($toMillis($now()) + 86400000)',
    '$formatNumber($sum($steps.a.output.lines.amount), "#,##0.00")',
  ])('accepts %s', (expr) => {
    expect(problems(expr)).toEqual([]);
  });

  it("names a call of a function that is neither JSONata's nor defined in the expression", () => {
    const found = problems('$uppercase(name) & $sendMail("x") & $steps.a.$guid()');
    expect(found.map((p) => [p.code, p.field])).toEqual([
      ['expression_unknown_function', 'params.inputs.message'],
      ['expression_unknown_function', 'params.inputs.message'],
    ]);
    expect(found[0]!.message).toMatch(/calls \$sendMail \(at character \d+\), which is not a function expressions can use\./);
    expect(found[1]!.message).toContain('$guid');
  });

  it('reports a syntax error without looking for functions', () => {
    expect(problems('$nosuch(').map((p) => p.code)).toEqual(['expression_syntax']);
  });
});
