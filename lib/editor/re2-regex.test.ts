import { describe, expect, it } from 'vitest';
import { previewExpression } from './expression-check';
import { findUnsupportedRegex, Re2RegexEngine } from './re2-regex';

const regex = { engine: Re2RegexEngine, check: findUnsupportedRegex };
const re2 = (text: string, sample = {}) => previewExpression(text, sample, { regex, timeoutMs: 2000 });
const native = (text: string, sample = {}) => previewExpression(text, sample, { timeoutMs: 2000 });

describe('previews with RE2, as a run', () => {
  it('match, replace, split and contains give what JSONata gives with native regexes', async () => {
    for (const text of [
      '$match("ab12cd345", /[0-9]+/)',
      '$match("Ada Lovelace", /(\\w+) (\\w+)/)',
      '$replace("a-b-c", /-/, "+")',
      '$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")',
      '$split("a1b22c", /[0-9]+/)',
      '$contains("HELLO", /hel/i)',
      '"abc" ~> /b/',
    ]) {
      const viaRe2 = await re2(text);
      expect(viaRe2.ok, text).toBe(true);
      expect(viaRe2, text).toEqual(await native(text));
    }
  });

  it('refuses backreferences and lookaround with unsupported_regex, even in a branch that does not run', async () => {
    const back = await re2('$contains("aa", /(a)\\1/)');
    expect(back).toMatchObject({ ok: false, code: 'unsupported_regex', message: expect.stringContaining('/(a)\\1/ cannot be used') });
    expect(back.ok === false && typeof back.position).toBe('number');
    expect(await re2('false ? $contains("x", /x(?=y)/) : 1')).toMatchObject({ ok: false, code: 'unsupported_regex' });
    // Without RE2 (the page-thread fallback) the same expression runs natively.
    expect(await native('$contains("aa", /(a)\\1/)')).toEqual({ ok: true, value: true });
  });

  it('answers a catastrophic-backtracking pattern in linear time', async () => {
    const started = Date.now();
    const result = await re2(`$contains("${'a'.repeat(5000)}b", /^(a+)+$/)`);
    expect(result).toEqual({ ok: true, value: false });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
