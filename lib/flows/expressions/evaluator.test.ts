import jsonata from 'jsonata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpressionEvaluator, expressionEvaluator, type ExpressionScope, type PooledExpressionEvaluator } from './evaluator';

const scope: ExpressionScope = {
  trigger: { body: { x: 2, name: 'Ada', tags: ['a', 'b'] } },
  steps: { a1: { status: 'succeeded', output: { email: 'ada@example.com', rows: [{ id: 1 }, { id: 2 }] } } },
  vars: { n: 21 },
  item: { sku: 'K-1' },
  index: 4,
  run: { id: 'run-1', flowId: 'flow-1', mode: 'test' },
};

/** An expression that keeps evaluating until JSONata's deadline stops it (tail calls never deepen the stack). */
const RUNAWAY = '($f := function($n){ $f($n + 1) }; $f(0))';

let ev: PooledExpressionEvaluator;
beforeAll(async () => {
  ev = createExpressionEvaluator({ workers: 2, timeoutMs: 200 });
  await ev.evaluateAll(['1'], scope); // start a worker once, so the tests below do not pay for it
});
afterAll(() => ev.close());

describe('evaluateAll', () => {
  it('binds $trigger, $steps, $vars, $item, $index and $run, and the root $', async () => {
    const results = await ev.evaluateAll(
      [
        '$trigger.body.x * $vars.n',
        '$steps.a1.output.rows.id',
        '$item.sku & "#" & $string($index)',
        '$run.id & "/" & $run.flowId & "/" & $run.mode',
        'trigger.body.name',
        '$uppercase($trigger.body.name)',
        '$count($trigger.body.tags)',
        '{ "to": $steps.a1.output.email, "n": $vars.n }',
      ],
      scope,
    );
    expect(results).toEqual([
      { ok: true, value: 42 },
      { ok: true, value: [1, 2] },
      { ok: true, value: 'K-1#4' },
      { ok: true, value: 'run-1/flow-1/test' },
      { ok: true, value: 'Ada' },
      { ok: true, value: 'ADA' },
      { ok: true, value: 2 },
      { ok: true, value: { to: 'ada@example.com', n: 21 } },
    ]);
  });

  it('answers plain paths in-process, without a worker', async () => {
    const local = createExpressionEvaluator();
    try {
      const results = await local.evaluateAll(['$steps.a1.output.email', '$trigger.body.x', '$trigger.body.missing', '$vars.n'], scope);
      expect(results).toEqual([
        { ok: true, value: 'ada@example.com' },
        { ok: true, value: 2 },
        { ok: true, value: undefined },
        { ok: true, value: 21 },
      ]);
      expect(local.pool.started).toBe(0);
      expect(local.pool.dispatched).toBe(0);
    } finally {
      await local.close();
    }
  });

  it('sends many expressions to a worker in one round trip, in order, mixed with plain paths', async () => {
    const before = ev.pool.dispatched;
    const expressions = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? '$vars.n' : `$vars.n + ${i}`));
    const results = await ev.evaluateAll(expressions, scope);
    expect(results).toEqual(expressions.map((_, i) => ({ ok: true, value: i % 3 === 0 ? 21 : 21 + i })));
    expect(ev.pool.dispatched - before).toBe(1);
  });

  it('returns [] for no expressions', async () => {
    expect(await ev.evaluateAll([], scope)).toEqual([]);
  });

  it('gives undefined for no match, in the worker as on the fast path', async () => {
    const results = await ev.evaluateAll(
      ['$lookup($trigger, "missing")', '$trigger.body[x > 5]', '$steps.a1.output.rows[id = 9].id'],
      scope,
    );
    expect(results).toEqual([
      { ok: true, value: undefined },
      { ok: true, value: undefined },
      { ok: true, value: undefined },
    ]);
  });

  it('returns JSON data: a function result is refused, functions inside a value are dropped', async () => {
    const [fn, builtin, inside, inArray] = await ev.evaluateAll(
      ['function($x){ $x }', '$string', '{ "a": 1, "f": function($x){ $x } }', '[1, $string]'],
      scope,
    );
    expect(fn).toMatchObject({ ok: false, code: 'expression_not_data' });
    expect(builtin).toMatchObject({ ok: false, code: 'expression_not_data' });
    expect(inside).toEqual({ ok: true, value: { a: 1 } });
    expect(inArray).toEqual({ ok: true, value: [1, null] });
  });

  it('reports syntax and type errors with JSONata codes and positions, per expression', async () => {
    const [syntax, type, good] = await ev.evaluateAll(['$vars.n +', '"a" + 1', '1 + 1'], scope);
    expect(syntax).toMatchObject({ ok: false, code: 'S0207' });
    expect(type).toMatchObject({ ok: false, code: 'T2001', position: expect.any(Number) });
    expect(good).toEqual({ ok: true, value: 2 });
  });

  it('refuses a result larger than 1 MiB (output_too_large), counting bytes, not characters', async () => {
    const [long, big, wide, fits] = await ev.evaluateAll(
      ['$pad("", 2000000, "a")', '[1..90000].("xxxxxxxxxxxxxxxx" & $)', '$pad("", 600000, "é")', '$pad("", 400000, "é")'],
      scope,
      { timeoutMs: 5000 }, // building 90,000 strings takes a while on a busy machine
    );
    expect(long).toMatchObject({ ok: false, code: 'output_too_large' });
    expect(big).toMatchObject({ ok: false, code: 'output_too_large' });
    expect(wide).toMatchObject({ ok: false, code: 'output_too_large' }); // 600,000 characters, 1.2 MB of UTF-8
    expect(fits).toMatchObject({ ok: true });
    expect((fits as { value: string }).value).toHaveLength(400000);
  });

  it('applies maxOutputBytes from the options', async () => {
    const small = createExpressionEvaluator({ maxOutputBytes: 10 });
    try {
      expect(await small.evaluateAll(['"0123456789"', '"01234567"'], scope)).toEqual([
        { ok: false, code: 'output_too_large', message: expect.stringContaining('12 bytes') },
        { ok: true, value: '01234567' },
      ]);
    } finally {
      await small.close();
    }
  });

  it('fails every expression with expression_failed when the scope cannot be copied', async () => {
    const bad = { ...scope, vars: { f: () => 1 } } as unknown as ExpressionScope;
    const results = await ev.evaluateAll(['1 + 1', '$vars.n'], bad);
    expect(results).toEqual([
      { ok: false, code: 'expression_failed', message: expect.stringContaining('cannot be sent') },
      { ok: true, value: undefined },
    ]);
    expect(await ev.evaluateAll(['1 + 1'], scope)).toEqual([{ ok: true, value: 2 }]);
  });

  it('takes a deadline longer than a Node timer can hold without a timer overflow', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      expect(await ev.evaluateAll(['$sum([1..1000])'], scope, { timeoutMs: 1e12 })).toEqual([{ ok: true, value: 500500 }]);
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('rejects a timeout that would switch the deadline off', async () => {
    await expect(ev.evaluateAll(['1'], scope, { timeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(ev.evaluateAll(['1'], scope, { timeoutMs: Number.NaN })).rejects.toThrow(RangeError);
    expect(() => createExpressionEvaluator({ workers: 0 })).toThrow(RangeError);
  });
});

describe('regular expressions (RE2)', () => {
  const cases = [
    '$match("a1b22c333", /\\d+/)',
    '$match("ab12", /([a-z]+)(\\d+)/)',
    '$replace("Hello World", /o/, "0")',
    '$replace("2024-01-05", /(\\d+)-(\\d+)-(\\d+)/, "$3/$2/$1")',
    '$replace("aaa", /a/, "b", 2)',
    '$split("a, b,c", /,\\s*/)',
    '$contains("abc", /B/i)',
    '$contains("abc", /B/)',
    '$match("x\\ny", /^y/m)',
    '$match("x\\ny", /^y/)',
    '$match("héllo wörld", /\\w+/)',
    '$match("x😀é", /é/)',
    '$replace("a😀b", /b/, "c")',
    '$match("aaa", /a/, 2)',
    '$match("ab", /(x)?b/)',
    '"xyz" ~> /y/',
    '$match("abc", /x*/)',
  ];

  it('gives what JSONata gives with JavaScript regexes, for what both support', async () => {
    const ours = await ev.evaluateAll(cases, scope);
    for (const [k, text] of cases.entries()) {
      let expected: unknown;
      try {
        const value: unknown = await jsonata(text).evaluate({});
        expected = { ok: true, value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
      } catch (err) {
        expected = { ok: false, code: (err as { code: string }).code };
      }
      expect(ours[k], text).toMatchObject(expected as object);
    }
  });

  it('refuses backreferences and lookaround with unsupported_regex, even in a branch not taken', async () => {
    const results = await ev.evaluateAll(
      [
        '$match("abab", /(ab)\\1/)',
        '$match("ab", /a(?=b)/)',
        '$match("ab", /a(?!c)/)',
        '$match("ab", /(?<=a)b/)',
        'false ? $match("aa", /(a)\\1/) : 1',
        '$eval("$match(\\"aa\\", /(a)\\\\1/)")',
      ],
      scope,
    );
    for (const r of results) expect(r).toMatchObject({ ok: false, code: 'unsupported_regex', message: expect.stringContaining('RE2') });
    expect(results[4]).toMatchObject({ position: expect.any(Number) });
  });
});

describe('lifecycle', () => {
  it('close() rejects the running and the queued batches, and later calls', async () => {
    const one = createExpressionEvaluator({ workers: 1, timeoutMs: 10_000 });
    const running = one.evaluateAll([RUNAWAY], scope);
    const queued = one.evaluateAll(['1 + 1'], scope);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const rejected = Promise.all([expect(running).rejects.toThrow(/closed/), expect(queued).rejects.toThrow(/closed/)]);
    await one.close();
    await rejected;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(one.pool.pids).toEqual([]);
    await expect(one.evaluateAll(['1 + 1'], scope)).rejects.toThrow(/closed/);
  });

  it('an abort signal stops the batch (its worker is killed) and the next call works', async () => {
    const one = createExpressionEvaluator({ workers: 1, timeoutMs: 10_000 });
    try {
      await one.evaluateAll(['1'], scope);
      const controller = new AbortController();
      const started = Date.now();
      const batch = one.evaluateAll(['1 + 1', RUNAWAY, '2 + 2'], scope, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('run cancelled')), 50);
      await expect(batch).rejects.toThrow('run cancelled');
      expect(Date.now() - started).toBeLessThan(2000); // not the 10 s deadline
      expect(await one.evaluateAll(['3 * 3'], scope)).toEqual([{ ok: true, value: 9 }]);
      expect(one.pool.started).toBe(2);
      const aborted = AbortSignal.abort(new Error('already'));
      await expect(one.evaluateAll(['1'], scope, { signal: aborted })).rejects.toThrow('already');
    } finally {
      await one.close();
    }
  });

  it('a queued batch that is aborted never runs', async () => {
    const one = createExpressionEvaluator({ workers: 1, timeoutMs: 300 });
    try {
      const busy = one.evaluateAll([RUNAWAY], scope);
      const controller = new AbortController();
      const queued = one.evaluateAll(['1'], scope, { signal: controller.signal });
      controller.abort(new Error('not needed'));
      await expect(queued).rejects.toThrow('not needed');
      expect((await busy)[0]).toMatchObject({ ok: false, code: 'D1012' });
      expect(one.pool.dispatched).toBe(1);
    } finally {
      await one.close();
    }
  });

  it('a worker that crashes fails only the expression it was running; it is replaced and the next call works', async () => {
    const one = createExpressionEvaluator({ workers: 1, timeoutMs: 5000 });
    try {
      await one.evaluateAll(['1'], scope);
      const [pid] = one.pool.pids;
      const batch = one.evaluateAll(['1 + 1', RUNAWAY, '2 + 2'], scope);
      await new Promise((r) => setTimeout(r, 150));
      process.kill(pid!, 'SIGKILL'); // from outside, as the OOM killer would
      const results = await batch;
      expect(results[0]).toEqual({ ok: true, value: 2 });
      expect(results[1]).toMatchObject({ ok: false, code: 'expression_engine_unavailable', message: expect.stringContaining('SIGKILL') });
      expect(results[2]).toEqual({ ok: true, value: 4 });
      expect(await one.evaluateAll(['5 + 5'], scope)).toEqual([{ ok: true, value: 10 }]);
      expect(one.pool.started).toBe(2);
      expect(one.pool.pids).not.toContain(pid);
    } finally {
      await one.close();
    }
  });

  it('runs batches beyond the pool size one after another', async () => {
    const one = createExpressionEvaluator({ workers: 1 });
    try {
      const all = await Promise.all(Array.from({ length: 5 }, (_, i) => one.evaluateAll([`${i} * 2`], scope)));
      expect(all).toEqual([0, 2, 4, 6, 8].map((value) => [{ ok: true, value }]));
      expect(one.pool.started).toBe(1);
    } finally {
      await one.close();
    }
  });
});

describe('expressionEvaluator()', () => {
  it('is one evaluator per process until closed, then a new one', async () => {
    const first = expressionEvaluator();
    expect(expressionEvaluator()).toBe(first);
    expect(await first.evaluateAll(['$vars.n * 2', '$vars.n'], scope)).toEqual([
      { ok: true, value: 42 },
      { ok: true, value: 21 },
    ]);
    await first.close();
    const second = expressionEvaluator();
    expect(second).not.toBe(first);
    expect(await second.evaluateAll(['1 + 2'], scope)).toEqual([{ ok: true, value: 3 }]);
    await second.close();
  });
});
