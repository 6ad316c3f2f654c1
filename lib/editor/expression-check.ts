import jsonata from 'jsonata';
import type { ExpressionScope } from '@/lib/flows/expressions/types';

/**
 * The expression editor's two questions about a JSONata expression, both answered by JSONata
 * itself so the editor never disagrees with a run:
 * - `checkExpression(text)`: does it parse? Syntax errors in plain words, with where they are.
 * - `previewExpression(text, sample)`: what does it give on sample data? Evaluated with the
 *   runtime's bindings (docs/flow-document.md, "Expressions") and JSONata's own guardrails.
 *
 * Both are pure and run anywhere (vitest, a Web Worker, the page). In the browser the preview
 * runs in a Web Worker (preview-runner.ts), because a runaway expression must not freeze the
 * page: JSONata's `timeout` guardrail (D1012) stops loops and recursion, but only when evaluation
 * returns to its loop, and a single long native call (`$pad("", 1e8)`, a huge sort) does not.
 * A Promise.race with a timer would not help either: evaluation is a chain of microtasks, so
 * the timer cannot fire before it ends. Only terminating a worker stops everything.
 */

export type CheckResult =
  | { ok: true }
  | {
      ok: false;
      message: string;
      /** JSONata's position: the offset just past the offending token. */
      position?: number;
      /** JSONata's code (S0201…). */
      code?: string;
      /** The range to underline in the editor, from 0, clamped to the text. */
      from?: number;
      to?: number;
    };

/** The data a preview runs on: the runtime's scope, any part of it (missing parts are missing). */
export type PreviewSample = Partial<ExpressionScope>;

export interface PreviewOptions {
  /** JSONata's deadline for the evaluation (default 300 ms). */
  timeoutMs?: number;
  /** Largest result as JSON, in characters (default 1 MiB, as in a run). */
  maxOutputChars?: number;
  /**
   * The regex engine, as a run has it (re2-regex.ts): its RegExp stand-in and the compile-time
   * check of the expression's regex literals. Not given: the native RegExp (the preview worker
   * gives RE2; only the page-thread fallback goes without, to keep re2js out of the page bundle).
   */
  regex?: { engine: RegExpConstructor; check(ast: unknown): (PreviewResult & { ok: false }) | null };
}

/** `value` is JSON data, or `undefined` when the expression selected nothing ("no match"). */
export type PreviewResult = { ok: true; value: unknown } | { ok: false; code: string; message: string; position?: number };

export const PREVIEW_TIMEOUT_MS = 300;
const MAX_OUTPUT_CHARS = 1024 * 1024;
/** The runtime's defaults (lib/flows/expressions): the same guardrails trip in a preview. */
const MAX_DEPTH = 500;
const MAX_SEQUENCE = 100_000;

interface JsonataFailure {
  code?: unknown;
  position?: unknown;
  token?: unknown;
  value?: unknown;
  message?: unknown;
  error?: unknown;
}

const quote = (v: unknown) => `“${String(v)}”`;
const at = (token: unknown) => (token === '(end)' || token === undefined ? 'the end' : quote(token));

/** JSONata's syntax (and guardrail) messages, said plainly. Codes not listed keep JSONata's own message. */
const SYNTAX_MESSAGES: Record<string, (e: JsonataFailure) => string> = {
  S0101: () => 'A text in quotes is not closed: add the closing quote.',
  S0102: (e) => `The number ${quote(e.token)} is too large.`,
  S0103: (e) => `${quote(`\\${String(e.token)}`)} is not an escape JSONata knows (use \\", \\\\, \\n, \\t, \\uXXXX…).`,
  S0104: () => 'A \\u escape needs four hexadecimal digits.',
  S0105: () => 'A name in backticks is not closed: add the closing backtick (`).',
  S0106: () => 'A comment is not closed: add */.',
  S0201: (e) => `${at(e.token)} is not expected here.`,
  S0202: (e) => `Expected ${quote(e.value)} but found ${at(e.token)}.`,
  S0203: (e) => `Expected ${quote(e.value)} before the end of the expression.`,
  S0204: (e) => `${quote(e.token)} is not an operator.`,
  S0207: () => 'The expression ends too early: something is missing at the end.',
  S0211: (e) => `${quote(e.token)} cannot start a value here.`,
  S0212: () => 'The left side of := must be a variable name starting with $.',
  S0214: (e) => `The right side of ${quote(e.token)} must be a variable name starting with $.`,
  S0301: () => 'A regular expression cannot be empty.',
  S0302: () => 'A regular expression is not closed: add the closing /.',
  // Guardrails: JSONata's D2015 text shows the attempted length as if it were the limit.
  D2014: (e) => `The range asks for ${String(e.value)} items; a range may hold at most 10,000,000.`,
  D2015: () => `The expression builds a sequence of more than ${MAX_SEQUENCE.toLocaleString('en-US')} items and was stopped.`,
};

function failureMessage(e: JsonataFailure): string {
  const code = typeof e.code === 'string' ? e.code : '';
  const plain = SYNTAX_MESSAGES[code];
  if (plain) return plain(e);
  return typeof e.message === 'string' && e.message !== '' ? e.message : 'The expression is not valid JSONata.';
}

/** The range JSONata's position points at: the token that ends there, or one character before it. */
function errorRange(text: string, e: JsonataFailure): { from: number; to: number } | undefined {
  if (typeof e.position !== 'number') return undefined;
  const to = Math.max(0, Math.min(text.length, e.position));
  const token = typeof e.token === 'string' || typeof e.token === 'number' ? String(e.token) : '';
  const length = token !== '' && token !== '(end)' ? token.length : 1;
  const from = Math.max(0, to - length);
  return { from, to: Math.max(to, Math.min(text.length, from + 1)) };
}

/** Whether the text parses as JSONata. A blank text is refused: an expression input needs one. */
export function checkExpression(text: string): CheckResult {
  if (text.trim() === '') return { ok: false, message: 'Write an expression.' };
  try {
    jsonata(text);
    return { ok: true };
  } catch (err) {
    const e = (err ?? {}) as JsonataFailure;
    const failure: CheckResult = { ok: false, message: failureMessage(e) };
    if (typeof e.code === 'string') failure.code = e.code;
    if (typeof e.position === 'number') failure.position = e.position;
    const range = errorRange(text, e);
    if (range) Object.assign(failure, range);
    return failure;
  }
}

// ---- Preview ------------------------------------------------------------------------------------

function isFunction(v: unknown): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object') return false;
  const o = v as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return o._jsonata_lambda === true || o._jsonata_function === true;
}

// As in a run: functions inside a result are dropped (JSON.stringify's way) and so is a
// `__proto__` key, so the preview shows exactly the data a step would receive.
const replacer = (key: string, v: unknown) => (key === '__proto__' || isFunction(v) ? undefined : v);

/** Limits that keep their own code when tripped inside `$eval`, as in a run. */
const GUARDRAIL_CODES = new Set(['D1011', 'D1012', 'D2014', 'D2015', 'unsupported_regex']);

function evaluationFailure(err: unknown, timeoutMs: number): PreviewResult & { ok: false } {
  let e = (err ?? {}) as JsonataFailure;
  // $eval wraps the inner failure (D3120/D3121); a guardrail tripped inside keeps its own code.
  const inner = (x: JsonataFailure) => (x.error && typeof x.error === 'object' ? (x.error as JsonataFailure) : null);
  while ((e.code === 'D3120' || e.code === 'D3121') && GUARDRAIL_CODES.has(String(inner(e)?.code))) e = inner(e)!;
  if (typeof e.code === 'string') {
    const message =
      e.code === 'D1012' ? `The expression took longer than ${timeoutMs} ms in the preview and was stopped.` : failureMessage(e);
    const failure: PreviewResult & { ok: false } = { ok: false, code: e.code, message };
    if (typeof e.position === 'number') failure.position = e.position;
    return failure;
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { ok: false, code: 'D1011', message: 'The expression recursed too deeply and was stopped.' };
  }
  return { ok: false, code: 'expression_failed', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Evaluates the expression on sample data with the runtime's bindings — `$trigger`, `$steps`,
 * `$vars`, `$item`, `$index`, `$run` — and the root `$` = `{ trigger, steps, vars, item }`.
 * The value comes back as JSON data (a round trip through JSON, as in a run), `undefined` for
 * "no match". Call it in a Web Worker in the browser (see the header).
 */
export async function previewExpression(text: string, sample: PreviewSample, opts: PreviewOptions = {}): Promise<PreviewResult> {
  const timeoutMs = opts.timeoutMs ?? PREVIEW_TIMEOUT_MS;
  const maxOutputChars = opts.maxOutputChars ?? MAX_OUTPUT_CHARS;
  const checked = checkExpression(text);
  if (!checked.ok) {
    const failure: PreviewResult & { ok: false } = { ok: false, code: checked.code ?? 'expression_empty', message: checked.message };
    if (checked.position !== undefined) failure.position = checked.position;
    return failure;
  }
  const steps = sample.steps ?? {};
  const vars = sample.vars ?? {};
  const bindings = { trigger: sample.trigger, steps, vars, item: sample.item, index: sample.index, run: sample.run };
  const root = { trigger: sample.trigger, steps, vars, item: sample.item };
  let value: unknown;
  try {
    const expression = jsonata(text, {
      timeout: timeoutMs,
      stack: MAX_DEPTH,
      sequence: MAX_SEQUENCE,
      ...(opts.regex ? { RegexEngine: opts.regex.engine } : {}),
    });
    const refused = opts.regex?.check(expression.ast());
    if (refused) return refused;
    value = await expression.evaluate(root, bindings);
  } catch (err) {
    return evaluationFailure(err, timeoutMs);
  }
  if (value === undefined) return { ok: true, value: undefined };
  if (isFunction(value)) return { ok: false, code: 'expression_not_data', message: 'The expression gives a function, not a value.' };
  // A long string is refused before JSON.stringify copies it.
  if (typeof value === 'string' && value.length > maxOutputChars) return tooLarge(value.length, maxOutputChars);
  const json = JSON.stringify(value, replacer);
  if (json === undefined) return { ok: true, value: undefined };
  if (json.length > maxOutputChars) return tooLarge(json.length, maxOutputChars);
  return { ok: true, value: JSON.parse(json) as unknown };
}

function tooLarge(size: number, limit: number): PreviewResult {
  return { ok: false, code: 'output_too_large', message: `The result is ${size} characters of JSON; the limit is ${limit}.` };
}

/**
 * The preview line's text: the value as compact JSON, cut at `maxChars` with an ellipsis, or
 * "no value" for a selection that found nothing (a run turns it into null).
 */
export function formatPreview(value: unknown, maxChars = 200): string {
  if (value === undefined) return 'no value (nothing matched; a run uses null)';
  const json = JSON.stringify(value) ?? 'null';
  return json.length > maxChars ? `${json.slice(0, maxChars - 1)}…` : json;
}
