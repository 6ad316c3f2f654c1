import { RE2JS } from 're2js';

/**
 * Regular expressions in previews run on RE2 (re2js), as they do in a run
 * (docs/flow-document.md, "Regular expressions run on RE2"): a pattern a run refuses —
 * backreferences, lookaround — is refused in the preview with the same `unsupported_regex`, and
 * `/^(a+)+$/` answers in linear time instead of hanging the preview until its deadline. It
 * mirrors the runtime's adapter (lib/flows/expressions/worker-source.ts, which must stay plain
 * JavaScript in a string); only the preview worker loads it, so the page's bundle stays lean.
 *
 * JSONata's parser turns `/…/flags` into a native RegExp (built, never run) and evaluation calls
 * `new RegexEngine(thatRegExp)`, then sets `lastIndex` and calls `exec()`.
 */

export interface RegexFailure {
  ok: false;
  code: 'unsupported_regex';
  message: string;
  position?: number;
}

type Compiled = { re: RE2JS } | { error: string };
const MAX_CACHED = 200;
const cache = new Map<string, Compiled>();

function compile(source: string, flags: string): Compiled {
  const key = `${flags}/${source}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    try {
      let f = 0;
      if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
      if (flags.includes('m')) f |= RE2JS.MULTILINE;
      compiled = { re: RE2JS.compile(RE2JS.translateRegExp(source), f) };
    } catch (err) {
      compiled = { error: err instanceof Error ? err.message : String(err) };
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, compiled);
  }
  return compiled;
}

function unsupported(source: string, reason: string, position?: number): RegexFailure {
  const failure: RegexFailure = {
    ok: false,
    code: 'unsupported_regex',
    message: `The regular expression /${source}/ cannot be used: ${reason}. Regular expressions run on RE2, which has no backreferences or lookaround.`,
  };
  if (position !== undefined) failure.position = position;
  return failure;
}

/** The RegExp face JSONata needs (`exec`, `lastIndex`, `test`), matching with RE2. */
class Re2RegExp {
  private readonly re: RE2JS;
  readonly source: string;
  readonly flags: string;
  readonly global = true;
  lastIndex = 0;

  constructor(regexp: RegExp) {
    const compiled = compile(regexp.source, regexp.flags);
    if ('error' in compiled) throw unsupported(regexp.source, compiled.error);
    this.re = compiled.re;
    this.source = regexp.source;
    this.flags = regexp.flags;
  }

  exec(str: string): RegExpExecArray | null {
    const from = this.lastIndex;
    if (from > str.length) {
      this.lastIndex = 0;
      return null;
    }
    const m = this.re.matcher(str);
    if (!m.find(from)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [m.group(0) ?? ''];
    for (let g = 1; g <= m.groupCount(); g++) groups.push(m.group(g) ?? undefined);
    const out = Object.assign(groups, { index: m.start(), input: str }) as unknown as RegExpExecArray;
    this.lastIndex = m.end();
    return out;
  }

  test(str: string): boolean {
    return this.exec(str) !== null;
  }
}

/** For jsonata's `RegexEngine` option, which is typed as the RegExp constructor. */
export const Re2RegexEngine = Re2RegExp as unknown as RegExpConstructor;

/**
 * The first regex literal of a parsed expression that RE2 cannot run, or null. Checked when the
 * expression is compiled, as in a run, so it fails even in a branch that would not run.
 */
export function findUnsupportedRegex(ast: unknown): RegexFailure | null {
  const seen = new Set<object>();
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (node instanceof RegExp) continue;
    const n = node as { type?: unknown; value?: unknown; position?: unknown };
    if (n.type === 'regex' && n.value instanceof RegExp) {
      const compiled = compile(n.value.source, n.value.flags);
      if ('error' in compiled) return unsupported(n.value.source, compiled.error, typeof n.position === 'number' ? n.position : undefined);
      continue;
    }
    for (const value of Object.values(node)) stack.push(value);
  }
  return null;
}
