import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { parsePlainPath, resolvePlainPath } from './plain-path';
import type { ExpressionScope } from './types';

const scope: ExpressionScope = {
  trigger: {
    body: { x: 1, email: 'a@b.example', list: [5], nested: [[1, 2], [3]], empty: [], nothing: null, obj: {}, 'first name': 'Ada' },
  },
  steps: {
    a1: { status: 'succeeded', output: { email: 'ada@example.com', rows: [{ id: 1 }, { id: 2 }], count: 0, flag: false } },
  },
  vars: { n: 2, s: 'text' },
  item: { sku: 'K-1' },
  index: 3,
  run: { id: 'run-1', flowId: 'flow-1', mode: 'test' },
};

/** JSONata itself, with the same bindings the worker gives it (the reference for the fast path). */
async function jsonataAnswer(expression: string, s: ExpressionScope): Promise<unknown> {
  const bindings = { trigger: s.trigger, steps: s.steps, vars: s.vars, item: s.item, index: s.index, run: s.run };
  const value: unknown = await jsonata(expression).evaluate({ trigger: s.trigger, steps: s.steps, vars: s.vars, item: s.item }, bindings);
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

describe('parsePlainPath', () => {
  it('accepts a binding followed by field names, backquoted ones included', () => {
    expect(parsePlainPath('$steps.a1.output.email')).toEqual({ binding: 'steps', segments: ['a1', 'output', 'email'] });
    expect(parsePlainPath('$trigger.body.x')).toEqual({ binding: 'trigger', segments: ['body', 'x'] });
    expect(parsePlainPath('$trigger.body.`first name`')).toEqual({ binding: 'trigger', segments: ['body', 'first name'] });
    expect(parsePlainPath('$vars')).toEqual({ binding: 'vars', segments: [] });
    expect(parsePlainPath('$index')).toEqual({ binding: 'index', segments: [] });
  });

  it('leaves everything else to JSONata', () => {
    for (const text of [
      'trigger.body.x', // the root `$`, not a binding
      '$steps.a1.output.rows[0]',
      '$string($vars.n)',
      '$vars.n + 1',
      ' $vars.n',
      '$vars.n ',
      '$vars.true',
      '$vars.and',
      '$foo.bar', // not a binding
      '$$.x',
      '$steps.a1.`',
      '$steps..a1',
      '$vars.n.',
      '$Steps.a1',
    ]) {
      expect(parsePlainPath(text), text).toBeUndefined();
    }
  });
});

describe('resolvePlainPath', () => {
  const resolve = (text: string, s: ExpressionScope = scope) => resolvePlainPath(parsePlainPath(text)!, s);

  it('gives the same answer as JSONata wherever it answers', async () => {
    const paths = [
      '$steps.a1.output.email',
      '$steps.a1.output',
      '$steps.a1.output.count',
      '$steps.a1.output.flag',
      '$steps.a1.output.rows',
      '$steps.zz.output.email',
      '$trigger.body.x',
      '$trigger.body.list',
      '$trigger.body.nested',
      '$trigger.body.empty',
      '$trigger.body.nothing',
      '$trigger.body.nothing.x',
      '$trigger.body.obj',
      '$trigger.body.`first name`',
      '$trigger.body.x.y',
      '$trigger.body.email.length', // a string has no fields in JSONata
      '$trigger.missing',
      '$vars.n',
      '$vars.s',
      '$item.sku',
      '$index',
      '$run.id',
      '$run',
    ];
    for (const text of paths) {
      const outcome = resolve(text);
      expect(outcome.handled, text).toBe(true);
      expect(outcome.handled && outcome.value, text).toEqual(await jsonataAnswer(text, scope));
    }
  });

  it('reads own properties only, as JSONata does', async () => {
    for (const text of ['$vars.constructor', '$vars.__proto__', '$vars.toString', '$trigger.body.hasOwnProperty']) {
      expect(resolve(text), text).toEqual({ handled: true, value: undefined });
      expect(await jsonataAnswer(text, scope), text).toBeUndefined();
    }
  });

  it('hands an array in the middle of the path to JSONata, which maps over it', () => {
    expect(resolve('$steps.a1.output.rows.id')).toEqual({ handled: false });
  });

  it('hands a value JSON would change to the worker', () => {
    const odd: ExpressionScope = { ...scope, vars: { when: new Date(0), fn: () => 1, nan: Number.NaN, map: new Map() } };
    for (const text of ['$vars.when', '$vars.fn', '$vars.nan', '$vars.map']) expect(resolve(text, odd), text).toEqual({ handled: false });
  });

  it('treats a missing optional binding as no match', () => {
    const noItem: ExpressionScope = { ...scope, item: undefined, index: undefined };
    expect(resolve('$item.sku', noItem)).toEqual({ handled: true, value: undefined });
    expect(resolve('$index', noItem)).toEqual({ handled: true, value: undefined });
  });
});
