import { describe, expect, it } from 'vitest';
import { StringStream } from '@codemirror/language';
import { jsonataStreamParser, tokenizeJsonata } from './jsonata-language';

/** Significant tokens as `text:type` pairs, whitespace left out. */
const tokens = (text: string) =>
  tokenizeJsonata(text)
    .tokens.filter((t) => t.type !== null)
    .map((t) => `${t.text}:${t.type}`);

describe('JSONata tokenizer', () => {
  it('reads bindings, paths, functions, strings and operators', () => {
    expect(tokens('$uppercase($trigger.record.lastname) & " (lead)"')).toEqual([
      '$uppercase:variableName.function',
      '(:paren',
      '$trigger:variableName.special',
      '.:operator',
      'record:propertyName',
      '.:operator',
      'lastname:propertyName',
      '):paren',
      '&:operator',
      '" (lead)":string',
    ]);
  });

  it('tells keywords from field names by position', () => {
    expect(tokens('$vars.total > 10 and $item.in = true or null')).toEqual([
      '$vars:variableName.special',
      '.:operator',
      'total:propertyName',
      '>:operator',
      '10:number',
      'and:operatorKeyword',
      '$item:variableName.special',
      '.:operator',
      'in:propertyName',
      '=:operator',
      'true:bool',
      'or:operatorKeyword',
      'null:null',
    ]);
  });

  it('reads lambdas, assignments, numbers with exponents and multi-character operators', () => {
    expect(tokens('($f := function($x){ $x * 1.5e2 }; $f(2) ~> $string)')).toEqual([
      '(:paren',
      '$f:variableName',
      ':=:operator',
      'function:keyword',
      '(:paren',
      '$x:variableName',
      '):paren',
      '{:brace',
      '$x:variableName',
      '*:operator',
      '1.5e2:number',
      '}:brace',
      ';:separator',
      '$f:variableName.function',
      '(:paren',
      '2:number',
      '):paren',
      '~>:operator',
      '$string:variableName',
      '):paren',
    ]);
  });

  it('reads backtick names, comments, escapes and regular expressions, and / after a value as division', () => {
    expect(tokens('/* who */ $item.`first name` & "a \\" b"')).toEqual([
      '/* who */:comment',
      '$item:variableName.special',
      '.:operator',
      '`first name`:propertyName',
      '&:operator',
      '"a \\" b":string',
    ]);
    expect(tokens('$match(name, /^a[/]b$/i)')).toEqual([
      '$match:variableName.function',
      '(:paren',
      'name:propertyName',
      ',:separator',
      '/^a[/]b$/i:regexp',
      '):paren',
    ]);
    expect(tokens('total / 2')).toEqual(['total:propertyName', '/:operator', '2:number']);
    expect(tokens('$$.a + $.b')).toEqual([
      '$$:variableName.special',
      '.:operator',
      'a:propertyName',
      '+:operator',
      '$:variableName.special',
      '.:operator',
      'b:propertyName',
    ]);
  });

  it('carries unfinished strings and comments over lines, and reports them in the end state', () => {
    const text = '/* one\ntwo */ "a\nb" & x';
    const multi = tokenizeJsonata(text);
    expect(multi.tokens.filter((t) => t.type !== null).map((t) => `${t.text}:${t.type}`)).toEqual([
      '/* one:comment',
      'two */:comment',
      '"a:string',
      'b":string',
      '&:operator',
      'x:propertyName',
    ]);
    expect(multi.state).toMatchObject({ inComment: false, inString: null });
    expect(tokenizeJsonata('"open').state.inString).toBe('"');
    expect(tokenizeJsonata('a /* open').state.inComment).toBe(true);
    // Offsets are into the whole text, lines included.
    expect(multi.tokens.find((t) => t.text === 'x')).toMatchObject({ from: text.indexOf('x'), to: text.length });
  });

  it('is what StreamLanguage drives: the token function on a StringStream advances and tags', () => {
    const state = jsonataStreamParser.startState!(2);
    const stream = new StringStream('$steps.a1', 2, 2);
    expect(jsonataStreamParser.token(stream, state)).toBe('variableName.special');
    expect(stream.current()).toBe('$steps');
    stream.start = stream.pos;
    expect(jsonataStreamParser.token(stream, state)).toBe('operator');
    stream.start = stream.pos;
    expect(jsonataStreamParser.token(stream, state)).toBe('propertyName');
    expect(stream.eol()).toBe(true);
  });

  it('never stalls on characters it does not know', () => {
    const { tokens: all } = tokenizeJsonata('a ¤ b');
    expect(all.map((t) => t.text).join('')).toBe('a ¤ b');
    expect(all.find((t) => t.text === '¤')?.type).toBe('invalid');
  });
});
