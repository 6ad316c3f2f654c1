/**
 * `$filter` parser: comparison `eq ne gt ge lt le`, `and or not`, parentheses,
 * `contains/startswith/endswith`, lookup paths (`primarycontactid/fullname`), `_x_value` GUID
 * comparisons, `any`/`all` lambdas, parameter aliases (`@p1`), fully-qualified
 * `Microsoft.Dynamics.CRM.*` query functions with named parameters, and enum literals for metadata
 * queries (`Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist'`). Error messages follow ODL's wording
 * that Dataverse passes through (`There is an unterminated literal at position …`, `Syntax error at
 * position …`).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import { DataverseError, codes } from '../errors';

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'datetime' | 'date' | 'enum' | 'array';

export type FilterNode =
  | { k: 'lit'; type: LiteralType; value: unknown; raw: string }
  | { k: 'path'; segments: string[] }
  | { k: 'bin'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { k: 'not'; expr: FilterNode }
  | { k: 'call'; name: string; args: FilterNode[] }
  | { k: 'crm'; name: string; params: Map<string, FilterNode> }
  | { k: 'lambda'; path: string[]; op: 'any' | 'all'; variable: string; body: FilterNode | null };

type Tok =
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: number; raw: string; pos: number }
  | { t: 'id'; v: string; pos: number }
  | { t: 'guid'; v: string; pos: number }
  | { t: 'dt'; v: string; dateOnly: boolean; pos: number }
  | { t: 'enum'; type: string; v: string; pos: number }
  | { t: 'json'; v: unknown[]; pos: number }
  | { t: 'alias'; v: string; pos: number }
  | { t: 'sym'; v: '(' | ')' | ',' | '/' | '=' | ':'; pos: number }
  | { t: 'eof'; pos: number };

const GUID_AT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DT_AT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUM_AT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/;
const ID_AT = /^[A-Za-z_$][A-Za-z0-9_.$]*/;

export function syntaxError(pos: number, text: string): DataverseError {
  return new DataverseError(400, codes.odata, `Syntax error at position ${pos} in '${text}'.`);
}

function readString(text: string, start: number): { value: string; end: number } {
  let i = start + 1;
  let out = '';
  for (;;) {
    if (i >= text.length)
      throw new DataverseError(400, codes.odata, `There is an unterminated literal at position ${text.length} in '${text}'.`);
    const ch = text[i];
    if (ch === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    out += ch;
    i++;
  }
}

function readJsonArray(text: string, start: number): { value: unknown[]; end: number } {
  let depth = 0;
  let inStr = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') inStr = true;
    else if (ch === '[') depth++;
    else if (ch === ']') {
      depth--;
      if (depth === 0) {
        const raw = text.slice(start, i + 1);
        try {
          const v: unknown = JSON.parse(raw);
          if (Array.isArray(v)) return { value: v, end: i + 1 };
        } catch {
          // fall through to the Dataverse message below
        }
        throw new DataverseError(
          400,
          codes.odata,
          `Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.`,
        );
      }
    }
  }
  throw new DataverseError(
    400,
    codes.odata,
    `Invalid JSON. An unexpected end of input was found in JSON content. Not all object and array scopes were closed.`,
  );
}

export function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const rest = text.slice(i);
    if (ch === "'") {
      const { value, end } = readString(text, i);
      toks.push({ t: 'str', v: value, pos: i });
      i = end;
      continue;
    }
    if ('(),/=:'.includes(ch)) {
      toks.push({ t: 'sym', v: ch as '(' | ')' | ',' | '/' | '=' | ':', pos: i });
      i++;
      continue;
    }
    if (ch === '[') {
      const { value, end } = readJsonArray(text, i);
      toks.push({ t: 'json', v: value, pos: i });
      i = end;
      continue;
    }
    if (ch === '@') {
      const m = ID_AT.exec(text.slice(i + 1));
      if (!m) throw syntaxError(i, text);
      toks.push({ t: 'alias', v: `@${m[0]}`, pos: i });
      i += 1 + m[0].length;
      continue;
    }
    const g = GUID_AT.exec(rest);
    if (g) {
      toks.push({ t: 'guid', v: g[0].toLowerCase(), pos: i });
      i += g[0].length;
      continue;
    }
    const d = DT_AT.exec(rest);
    if (d && /^\d{4}-/.test(rest)) {
      toks.push({ t: 'dt', v: d[0], dateOnly: !d[1], pos: i });
      i += d[0].length;
      continue;
    }
    const n = NUM_AT.exec(rest);
    if (n) {
      toks.push({ t: 'num', v: Number(n[0].replace(/[mMdDfFlL]$/, '')), raw: n[0], pos: i });
      i += n[0].length;
      continue;
    }
    const id = ID_AT.exec(rest);
    if (id) {
      const after = i + id[0].length;
      if (text[after] === "'" && id[0].includes('.')) {
        const { value, end } = readString(text, after);
        toks.push({ t: 'enum', type: id[0], v: value, pos: i });
        i = end;
        continue;
      }
      toks.push({ t: 'id', v: id[0], pos: i });
      i = after;
      continue;
    }
    throw syntaxError(i, text);
  }
  toks.push({ t: 'eof', pos: text.length });
  return toks;
}

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export class FilterParser {
  private i = 0;
  private readonly toks: Tok[];

  constructor(
    private readonly text: string,
    private readonly aliases: (name: string) => string | null,
  ) {
    this.toks = tokenize(text);
  }

  parse(): FilterNode {
    const node = this.or();
    const t = this.peek();
    if (t.t !== 'eof') throw syntaxError(t.pos, this.text);
    return node;
  }

  private peek(): Tok {
    return this.toks[this.i] ?? { t: 'eof', pos: this.text.length };
  }

  private next(): Tok {
    const t = this.peek();
    this.i++;
    return t;
  }

  private isWord(w: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v === w;
  }

  private expectSym(s: string): void {
    const t = this.next();
    if (t.t !== 'sym' || t.v !== s) throw syntaxError(t.pos, this.text);
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { k: 'bin', op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.isWord('and')) {
      this.next();
      left = { k: 'bin', op: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.isWord('not')) {
      this.next();
      return { k: 'not', expr: this.unary() };
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    const left = this.primary();
    const t = this.peek();
    if (t.t === 'id' && COMPARE.has(t.v)) {
      this.next();
      const right = this.primary();
      return { k: 'bin', op: t.v as 'eq', left, right };
    }
    return left;
  }

  private literalFromAlias(name: string, pos: number): FilterNode {
    const raw = this.aliases(name);
    if (raw === null)
      throw new DataverseError(400, codes.odata, `The parameter alias '${name}' at position ${pos} in '${this.text}' is not defined.`);
    const sub = new FilterParser(raw, () => null);
    return sub.primary();
  }

  primary(): FilterNode {
    const t = this.next();
    switch (t.t) {
      case 'str':
        return { k: 'lit', type: 'string', value: t.v, raw: `'${t.v}'` };
      case 'num':
        return { k: 'lit', type: 'number', value: t.v, raw: t.raw };
      case 'guid':
        return { k: 'lit', type: 'guid', value: t.v, raw: t.v };
      case 'dt':
        return { k: 'lit', type: t.dateOnly ? 'date' : 'datetime', value: t.v, raw: t.v };
      case 'enum':
        return { k: 'lit', type: 'enum', value: t.v, raw: `${t.type}'${t.v}'` };
      case 'json':
        return { k: 'lit', type: 'array', value: t.v, raw: JSON.stringify(t.v) };
      case 'alias':
        return this.literalFromAlias(t.v, t.pos);
      case 'sym':
        if (t.v === '(') {
          const inner = this.or();
          this.expectSym(')');
          return inner;
        }
        throw syntaxError(t.pos, this.text);
      case 'id':
        return this.identifier(t.v, t.pos);
      default:
        throw syntaxError(t.pos, this.text);
    }
  }

  private identifier(name: string, pos: number): FilterNode {
    if (name === 'true' || name === 'false') return { k: 'lit', type: 'boolean', value: name === 'true', raw: name };
    if (name === 'null') return { k: 'lit', type: 'null', value: null, raw: 'null' };
    const p = this.peek();
    if (p.t === 'sym' && p.v === '(') {
      this.next();
      if (name.startsWith('Microsoft.Dynamics.CRM.')) return this.crmCall(name.slice('Microsoft.Dynamics.CRM.'.length));
      const args: FilterNode[] = [];
      if (!(this.peek().t === 'sym' && (this.peek() as { v: string }).v === ')')) {
        args.push(this.or());
        while (this.peek().t === 'sym' && (this.peek() as { v: string }).v === ',') {
          this.next();
          args.push(this.or());
        }
      }
      this.expectSym(')');
      return { k: 'call', name, args };
    }
    const segments = [name];
    while (this.peek().t === 'sym' && (this.peek() as { v: string }).v === '/') {
      this.next();
      const seg = this.next();
      if (seg.t !== 'id') throw syntaxError(seg.pos, this.text);
      if ((seg.v === 'any' || seg.v === 'all') && this.peek().t === 'sym' && (this.peek() as { v: string }).v === '(') {
        this.next();
        if (seg.v === 'any' && this.peek().t === 'sym' && (this.peek() as { v: string }).v === ')') {
          this.next();
          return { k: 'lambda', path: segments, op: 'any', variable: '', body: null };
        }
        const v = this.next();
        if (v.t !== 'id') throw syntaxError(v.pos, this.text);
        this.expectSym(':');
        const body = this.or();
        this.expectSym(')');
        return { k: 'lambda', path: segments, op: seg.v, variable: v.v, body };
      }
      segments.push(seg.v);
    }
    void pos;
    return { k: 'path', segments };
  }

  private crmCall(name: string): FilterNode {
    const params = new Map<string, FilterNode>();
    if (!(this.peek().t === 'sym' && (this.peek() as { v: string }).v === ')')) {
      for (;;) {
        const key = this.next();
        if (key.t !== 'id') throw syntaxError(key.pos, this.text);
        this.expectSym('=');
        params.set(key.v, this.primary());
        const sep = this.peek();
        if (sep.t === 'sym' && sep.v === ',') {
          this.next();
          continue;
        }
        break;
      }
    }
    this.expectSym(')');
    return { k: 'crm', name, params };
  }
}

export function parseFilter(text: string, aliases: (name: string) => string | null): FilterNode {
  return new FilterParser(text, aliases).parse();
}
