/**
 * The source of an expression worker, run as `node -e WORKER_SOURCE <config JSON>` in a child
 * process with an IPC channel (see worker-pool.ts for why a process).
 *
 * WHY a string: this code runs inside the Next.js server bundle, under vitest and under tsx. A
 * worker file next to the module (`new URL('./worker.js', import.meta.url)`) does not survive every
 * bundler, and a TypeScript function turned into text picks up each compiler's helpers. Plain
 * JavaScript in a string is the same everywhere. jsonata and re2js are loaded with a `require`
 * rooted at the process's working directory — the app always runs from the repository root — so
 * they come from the repository's node_modules and never through the bundler.
 *
 * Protocol. In: `{ id, expressions, scope, timeoutMs, maxOutputBytes }` or `{ id, inspect: true }`.
 * Out: `{ ready: true }` once, then per batch `{ id, at }` when expression `at` begins (the host
 * gives each expression its own hard deadline from that), then `{ id, results }`, each result
 * `{ ok: true, json?: string }` (no `json` = undefined) or `{ ok: false, code, message, position? }`.
 *
 * What expressions can reach: the scope (a structured copy), JSONata's documented function
 * library and nothing else. JSONata has no syntax for JavaScript globals (`process`, `require`,
 * `globalThis`, `fetch` are just unbound `$names` or missing fields), refuses to walk into
 * functions and does not read inherited properties (`constructor`, `__proto__`). `$eval` is kept:
 * it parses JSONata, not JavaScript, and runs under the same guardrails. `$now()` and `$millis()`
 * are kept too: they only read the clock (one value per evaluation), which grants nothing, and
 * timestamps are a common mapping need. No function is added.
 */
export interface WorkerConfig {
  /** The repository root, where node_modules holds jsonata and re2js. */
  root: string;
  maxSequence: number;
  maxDepth: number;
}

export const WORKER_SOURCE = String.raw`
'use strict';
const path = require('node:path');
const { createRequire } = require('node:module');

const config = JSON.parse(process.argv[1]);
const load = createRequire(path.join(config.root, 'package.json'));
const jsonata = load('jsonata');
const { RE2JS } = load('re2js');

const MAX_CACHED = 1000;
const send = (msg) => { if (process.connected) process.send(msg); };
// The host went away (or closed the pool): nothing is left to do.
process.on('disconnect', () => process.exit(0));

// ---- Regular expressions: RE2 (linear time) behind the RegExp interface JSONata uses ----------
// JSONata's parser turns /…/flags into a native RegExp (built, never run) and evaluation calls
// new RegexEngine(thatRegExp), then sets lastIndex and calls exec(). RE2 cannot backtrack, so
// (a+)+$ costs the length of the input; what RE2 cannot express (backreferences, lookaround)
// is refused with unsupported_regex when the expression is compiled.
const re2Cache = new Map();
function compileRe2(source, flags) {
  const key = flags + '/' + source;
  let compiled = re2Cache.get(key);
  if (compiled === undefined) {
    try {
      let f = 0;
      if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
      if (flags.includes('m')) f |= RE2JS.MULTILINE;
      compiled = { re: RE2JS.compile(RE2JS.translateRegExp(source), f) };
    } catch (err) {
      compiled = { error: String((err && err.message) || err) };
    }
    if (re2Cache.size >= MAX_CACHED) re2Cache.delete(re2Cache.keys().next().value);
    re2Cache.set(key, compiled);
  }
  return compiled;
}
function unsupportedRegex(source, reason, position) {
  return {
    code: 'unsupported_regex',
    position,
    message: 'The regular expression /' + source + '/ cannot be used: ' + reason +
      '. Regular expressions run on RE2, which has no backreferences or lookaround.',
  };
}
class Re2RegExp {
  constructor(regexp) {
    const compiled = compileRe2(regexp.source, regexp.flags);
    if (compiled.error !== undefined) throw unsupportedRegex(regexp.source, compiled.error);
    this.re = compiled.re;
    this.source = regexp.source;
    this.flags = regexp.flags;
    this.global = true;
    this.lastIndex = 0;
  }
  exec(str) {
    const from = this.lastIndex;
    if (from > str.length) { this.lastIndex = 0; return null; }
    const m = this.re.matcher(str);
    if (!m.find(from)) { this.lastIndex = 0; return null; }
    const out = [m.group(0)];
    for (let g = 1; g <= m.groupCount(); g++) { const v = m.group(g); out.push(v === null ? undefined : v); }
    out.index = m.start();
    out.input = str;
    this.lastIndex = m.end();
    return out;
  }
  test(str) { return this.exec(str) !== null; }
}

// Every regex literal is checked when the expression is compiled, so an unsupported one fails
// with its position even in a branch that is not taken.
function checkRegexes(ast) {
  const seen = new Set();
  const stack = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (node instanceof RegExp) continue;
    if (node.type === 'regex' && node.value instanceof RegExp) {
      const compiled = compileRe2(node.value.source, node.value.flags);
      if (compiled.error !== undefined) throw unsupportedRegex(node.value.source, compiled.error, node.position);
      continue;
    }
    for (const key of Object.keys(node)) stack.push(node[key]);
  }
}

// ---- Compiled expressions, by text ------------------------------------------------------------
// One options object shared by every compiled expression: JSONata reads it on each guardrail
// check, so setting timeout before an evaluation gives that evaluation its own deadline.
const options = {
  RegexEngine: Re2RegExp,
  timeout: 1000,
  stack: config.maxDepth,
  sequence: config.maxSequence,
};
const compiledCache = new Map();
function compile(text) {
  let entry = compiledCache.get(text);
  if (entry !== undefined) {
    compiledCache.delete(text); // re-inserted below: the Map's order is the recency order
  } else {
    try {
      const expression = jsonata(text, options);
      checkRegexes(expression.ast());
      entry = { expression };
    } catch (err) {
      entry = { error: toFailure(err) };
    }
  }
  if (compiledCache.size >= MAX_CACHED) compiledCache.delete(compiledCache.keys().next().value);
  compiledCache.set(text, entry);
  return entry;
}

// ---- Errors -----------------------------------------------------------------------------------
const GUARDRAIL_CODES = new Set(['D1011', 'D1012', 'D2014', 'D2015', 'unsupported_regex']);
function seconds(ms) { return ms % 1000 === 0 ? ms / 1000 + ' s' : ms + ' ms'; }
function toFailure(err) {
  // $eval wraps the inner failure (D3121); a guardrail tripped inside it keeps its own code.
  while (err && (err.code === 'D3120' || err.code === 'D3121') && err.error && GUARDRAIL_CODES.has(err.error.code)) err = err.error;
  if (err && typeof err.code === 'string') {
    let message = String(err.message || err.code);
    if (err.code === 'D1012') message = 'The expression took longer than ' + seconds(options.timeout) + ' and was stopped.';
    const failure = { ok: false, code: err.code, message };
    if (typeof err.position === 'number') {
      failure.position = err.position;
      failure.message = message + ' (' + err.code + ', at position ' + err.position + ')';
    }
    return failure;
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { ok: false, code: 'D1011', message: 'The expression recursed too deeply and was stopped.' };
  }
  return { ok: false, code: 'expression_failed', message: String((err && err.message) || err) };
}

// ---- Results: JSON text, checked for size ------------------------------------------------------
function isFunction(v) {
  return typeof v === 'function' || (v !== null && typeof v === 'object' && (v._jsonata_lambda === true || v._jsonata_function === true));
}
// Functions inside a result are dropped like JSON.stringify drops them (null inside an array).
// So is a "__proto__" key: JSON.parse makes it an own property, harmless until code in the host
// copies the value with Object.assign or a[k] = v, which would set that object's prototype.
function replacer(key, v) { return key === '__proto__' || isFunction(v) ? undefined : v; }
function tooLarge(bytes, maxOutputBytes) {
  return { ok: false, code: 'output_too_large', message: 'The expression\'s result is ' + bytes + ' bytes; the limit is ' + maxOutputBytes + '.' };
}
function toResult(value, maxOutputBytes) {
  if (value === undefined) return { ok: true };
  // A long string is refused before JSON.stringify copies it (a 300 MB string would need 300 more).
  if (typeof value === 'string' && value.length > maxOutputBytes) return tooLarge(value.length, maxOutputBytes);
  if (isFunction(value)) {
    return { ok: false, code: 'expression_not_data', message: 'The expression gives a function, not a value.' };
  }
  const json = JSON.stringify(value, replacer);
  if (json === undefined) return { ok: true };
  const bytes = json.length * 3 > maxOutputBytes ? Buffer.byteLength(json) : json.length;
  if (bytes > maxOutputBytes) return tooLarge(bytes, maxOutputBytes);
  return { ok: true, json };
}

// ---- Batches -----------------------------------------------------------------------------------
async function evaluateBatch(msg) {
  const scope = msg.scope;
  const bindings = { trigger: scope.trigger, steps: scope.steps, vars: scope.vars, item: scope.item, index: scope.index, run: scope.run };
  const root = { trigger: scope.trigger, steps: scope.steps, vars: scope.vars, item: scope.item };
  options.timeout = msg.timeoutMs;
  const results = [];
  for (let i = 0; i < msg.expressions.length; i++) {
    send({ id: msg.id, at: i });
    const entry = compile(msg.expressions[i]);
    if (entry.error !== undefined) { results.push(entry.error); continue; }
    try {
      results.push(toResult(await entry.expression.evaluate(root, bindings), msg.maxOutputBytes));
    } catch (err) {
      results.push(toFailure(err));
    }
  }
  return results;
}

// ---- Prototype snapshot (tests) ------------------------------------------------------------------
// Each own property of the built-in prototypes with its kind, its type and, for a function, its
// source (a replaced built-in no longer says [native code]). Read with functions captured now.
const fnSource = Function.prototype.call.bind(Function.prototype.toString);
const ownKeys = Reflect.ownKeys;
const describe = Object.getOwnPropertyDescriptor;
function fingerprint(o) {
  return ownKeys(o).map((key) => {
    const d = describe(o, key);
    const part = (v) => (typeof v === 'function' ? 'function ' + fnSource(v) : typeof v);
    const what = 'value' in d ? 'value ' + part(d.value) : 'get ' + part(d.get) + ' set ' + part(d.set);
    return String(key) + ': ' + what;
  }).sort();
}
const PROTOTYPES = { object: Object.prototype, array: Array.prototype, function: Function.prototype, string: String.prototype, number: Number.prototype, boolean: Boolean.prototype, regexp: RegExp.prototype, promise: Promise.prototype };

process.on('message', (msg) => {
  if (msg.inspect) {
    const prototypes = {};
    for (const name of Object.keys(PROTOTYPES)) prototypes[name] = fingerprint(PROTOTYPES[name]);
    send({ id: msg.id, prototypes });
    return;
  }
  evaluateBatch(msg).then(
    (results) => send({ id: msg.id, results }),
    (err) => send({ id: msg.id, results: msg.expressions.map(() => toFailure(err)) }),
  );
});
send({ ready: true });
`;
