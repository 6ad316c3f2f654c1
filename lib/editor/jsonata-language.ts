import { StreamLanguage, StringStream, type StreamParser } from '@codemirror/language';

/**
 * JSONata for CodeMirror 6: a small stream tokenizer (no grammar), enough to colour an
 * expression and to tell the completion whether the cursor sits in code, a string or a comment.
 * The parser that decides what is valid is JSONata's own (expression-check.ts); this one only
 * has to be forgiving and fast on every keystroke.
 *
 * Token names are CodeMirror highlighting tags (`string`, `variableName.special`, …), resolved by
 * StreamLanguage, so any HighlightStyle colours them.
 */

/** The names the runtime binds for every expression (docs/flow-document.md, "Expressions"). */
export const SCOPE_BINDINGS = ['$trigger', '$steps', '$vars', '$item', '$index', '$run'] as const;

export interface JsonataTokenState {
  /** Inside a block comment that continues on the next line. */
  inComment: boolean;
  /** The quote of a string that continues on the next line, or null. */
  inString: '"' | "'" | null;
  /** Inside a backtick name that continues on the next line. */
  inBacktick: boolean;
  /**
   * Whether the last significant token ends a value (a name, a literal, `)`, `]`, `}`). It decides
   * what `/` is (division after a value, a regular expression otherwise) and whether `and`, `or`
   * and `in` are operators (after a value) or plain field names.
   */
  afterValue: boolean;
}

const BINDINGS: ReadonlySet<string> = new Set(SCOPE_BINDINGS);
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u;
const VARIABLE = /^\$[\p{L}\p{N}_]*/u;
const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;
// Longest first, so `:=` is not read as `:` then `=`.
const OPERATORS = /^(?:\*\*|\.\.|:=|~>|!=|<=|>=|\?:|\?\?|[=<>+\-*/%&?:.^@#!|])/;
const OPERATOR_WORDS = new Set(['and', 'or', 'in']);

function readString(stream: StringStream, state: JsonataTokenState, quote: '"' | "'"): string {
  let escaped = false;
  let ch: string | void;
  while ((ch = stream.next()) !== undefined) {
    if (ch === quote && !escaped) {
      state.inString = null;
      state.afterValue = true;
      return 'string';
    }
    escaped = !escaped && ch === '\\';
  }
  state.inString = quote;
  return 'string';
}

function readComment(stream: StringStream, state: JsonataTokenState): string {
  if (stream.skipTo('*/')) {
    stream.pos += 2;
    state.inComment = false;
  } else {
    stream.skipToEnd();
    state.inComment = true;
  }
  return 'comment';
}

function readBacktick(stream: StringStream, state: JsonataTokenState): string {
  if (stream.skipTo('`')) {
    stream.next();
    state.inBacktick = false;
    state.afterValue = true;
  } else {
    stream.skipToEnd();
    state.inBacktick = true;
  }
  return 'propertyName';
}

/** A regex literal: `/…/` with escapes and classes (a `/` inside `[…]` does not end it), then flags. */
function readRegex(stream: StringStream): boolean {
  const start = stream.pos;
  let escaped = false;
  let inClass = false;
  let ch: string | void;
  while ((ch = stream.next()) !== undefined) {
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) {
      stream.match(/^[a-z]*/);
      return true;
    }
  }
  // No closing slash on this line: not a regex after all (JSONata reports it; we colour `/` only).
  stream.pos = start;
  return false;
}

function token(stream: StringStream, state: JsonataTokenState): string | null {
  if (state.inComment) return readComment(stream, state);
  if (state.inString) return readString(stream, state, state.inString);
  if (state.inBacktick) return readBacktick(stream, state);
  if (stream.eatSpace()) return null;

  if (stream.match('/*')) return readComment(stream, state);

  const ch = stream.peek() ?? '';
  if (ch === '"' || ch === "'") {
    stream.next();
    return readString(stream, state, ch);
  }
  if (ch === '`') {
    stream.next();
    return readBacktick(stream, state);
  }
  if (ch === '/' && !state.afterValue) {
    stream.next();
    if (readRegex(stream)) {
      state.afterValue = true;
      return 'regexp';
    }
    state.afterValue = false;
    return 'operator';
  }
  if (stream.match(NUMBER)) {
    state.afterValue = true;
    return 'number';
  }
  const variable = stream.match(VARIABLE);
  if (variable) {
    const name = (variable as RegExpMatchArray)[0];
    state.afterValue = true;
    // `$$` (the root) and `$` (the context) are the scope too.
    if (name === '$' && stream.eat('$')) return 'variableName.special';
    if (name === '$' || BINDINGS.has(name)) return 'variableName.special';
    // `$name(` calls a function, built in or bound with `:=`.
    if (stream.match(/^\s*\(/, false)) return 'variableName.function';
    return 'variableName';
  }
  const word = stream.match(NAME);
  if (word) {
    const name = (word as RegExpMatchArray)[0];
    if (name === 'true' || name === 'false') {
      state.afterValue = true;
      return 'bool';
    }
    if (name === 'null') {
      state.afterValue = true;
      return 'null';
    }
    if (name === 'function' && stream.match(/^\s*\(/, false)) {
      state.afterValue = false;
      return 'keyword';
    }
    if (OPERATOR_WORDS.has(name) && state.afterValue) {
      state.afterValue = false;
      return 'operatorKeyword';
    }
    state.afterValue = true;
    return 'propertyName';
  }
  if (stream.eat('λ')) {
    state.afterValue = false;
    return 'keyword';
  }
  if (stream.match(OPERATORS)) {
    state.afterValue = false;
    return 'operator';
  }
  const bracket = stream.next() ?? '';
  if ('([{'.includes(bracket)) {
    state.afterValue = false;
    return bracket === '(' ? 'paren' : bracket === '[' ? 'squareBracket' : 'brace';
  }
  if (')]}'.includes(bracket)) {
    state.afterValue = true;
    return bracket === ')' ? 'paren' : bracket === ']' ? 'squareBracket' : 'brace';
  }
  if (bracket === ',' || bracket === ';') {
    state.afterValue = false;
    return 'separator';
  }
  return 'invalid';
}

/** The stream parser itself, exported so tests (and the completion) can drive it directly. */
export const jsonataStreamParser: StreamParser<JsonataTokenState> = {
  name: 'jsonata',
  startState: () => ({ inComment: false, inString: null, inBacktick: false, afterValue: false }),
  copyState: (s) => ({ ...s }),
  token,
  languageData: {
    commentTokens: { block: { open: '/*', close: '*/' } },
    closeBrackets: { brackets: ['(', '[', '{', '"', "'", '`'] },
  },
};

export const jsonataLanguage = StreamLanguage.define(jsonataStreamParser);

export interface JsonataToken {
  text: string;
  /** The tag name, or null for whitespace. */
  type: string | null;
  from: number;
  to: number;
}

/**
 * Runs the tokenizer over a whole text, line by line as CodeMirror does, and gives every token
 * with its offsets plus the state at the end (an unfinished string or comment shows there).
 */
export function tokenizeJsonata(text: string): { tokens: JsonataToken[]; state: JsonataTokenState } {
  const state = jsonataStreamParser.startState!(2);
  const tokens: JsonataToken[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const stream = new StringStream(line, 2, 2);
    while (!stream.eol()) {
      const type = token(stream, state);
      // A tokenizer that does not advance would loop forever; take one character instead.
      if (stream.pos === stream.start) stream.pos++;
      tokens.push({ text: stream.current(), type, from: offset + stream.start, to: offset + stream.pos });
      stream.start = stream.pos;
    }
    offset += line.length + 1;
  }
  return { tokens, state };
}
