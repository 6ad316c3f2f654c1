/**
 * Compiles a parsed `$filter` into a predicate over rows, with Dataverse's semantics: string
 * comparisons and string functions are case-insensitive (SQL collation), SQL wildcards `% _ [] [^]`
 * are honoured inside contains/startswith/endswith values, `null` compares with eq/ne, lookups compare
 * by GUID, datetimes by instant. A `Binder` resolves property paths, so the same compiler serves
 * table rows and metadata objects (`$filter` on EntityDefinitions).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import { DataverseError, codes } from '../errors';
import { parseDateValue } from '../util/dates';
import { crmFunction } from './crm-functions';
import type { FilterNode } from './filter-parser';
import type { Binder, Getter, ValueType } from './filter-types';

type Compiled = { get: Getter; type: ValueType; edm: string; isNullLiteral?: boolean };

const EDM_OF_LITERAL: Record<string, string> = {
  string: 'Edm.String',
  number: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  guid: 'Edm.Guid',
  datetime: 'Edm.DateTimeOffset',
  date: 'Edm.Date',
};

const OP_NAMES: Record<string, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

/** SQL LIKE pattern (with Dataverse's wildcard support) → RegExp. */
export function likeToRegex(pattern: string, mode: 'contains' | 'startswith' | 'endswith'): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close > i + 1) {
        let cls = pattern.slice(i + 1, close);
        if (cls.startsWith('^')) cls = `^${cls.slice(1).replace(/[\\\]]/g, '\\$&')}`;
        else cls = cls.replace(/[\\\]^]/g, '\\$&');
        re += `[${cls}]`;
        i = close;
      } else re += '\\[';
    } else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const body = mode === 'contains' ? re : mode === 'startswith' ? `^${re}` : `${re}$`;
  return new RegExp(body, 'is');
}

function incompatible(a: ValueType, b: ValueType): boolean {
  const scalar = (t: ValueType): boolean => t === 'string' || t === 'number' || t === 'boolean';
  return scalar(a) && scalar(b) && a !== b;
}

function normalize(v: unknown, type: ValueType): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'string' && typeof v === 'string') return v.toLowerCase();
  if (type === 'guid' && typeof v === 'string') return v.toLowerCase();
  if ((type === 'datetime' || type === 'date') && typeof v === 'string') return parseDateValue(v);
  return v;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export class FilterCompiler {
  constructor(
    private readonly binder: Binder,
    private readonly text: string,
  ) {}

  predicate(node: FilterNode): (row: unknown) => boolean {
    const c = this.compile(node);
    return (row) => c.get(row) === true;
  }

  private literal(node: Extract<FilterNode, { k: 'lit' }>): Compiled {
    const value = node.value;
    const type: ValueType =
      node.type === 'string' || node.type === 'enum'
        ? 'string'
        : node.type === 'number'
          ? 'number'
          : node.type === 'boolean'
            ? 'boolean'
            : node.type === 'guid'
              ? 'guid'
              : node.type === 'datetime'
                ? 'datetime'
                : node.type === 'date'
                  ? 'date'
                  : 'unknown';
    return { get: () => value, type, edm: EDM_OF_LITERAL[node.type] ?? 'Edm.Untyped', isNullLiteral: node.type === 'null' };
  }

  compile(node: FilterNode): Compiled {
    switch (node.k) {
      case 'lit':
        return this.literal(node);
      case 'path':
        return this.binder.path(node.segments);
      case 'not': {
        // Query functions cannot be negated (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#limitations-of-query-functions).
        if (containsQueryFunction(node.expr))
          throw new DataverseError(400, codes.queryInvalid, 'Not operator along with the Custom Named Condition operators is not allowed');
        const e = this.compile(node.expr);
        return { get: (r) => e.get(r) !== true, type: 'boolean', edm: 'Edm.Boolean' };
      }
      case 'bin':
        return this.binary(node);
      case 'call':
        return this.call(node);
      case 'crm':
        return { get: crmFunction(node.name, node.params, this.binder, this.text), type: 'boolean', edm: 'Edm.Boolean' };
      case 'lambda':
        return this.lambda(node);
    }
  }

  private binary(node: Extract<FilterNode, { k: 'bin' }>): Compiled {
    const l = this.compile(node.left);
    const r = this.compile(node.right);
    if (node.op === 'and') return { get: (row) => l.get(row) === true && r.get(row) === true, type: 'boolean', edm: 'Edm.Boolean' };
    if (node.op === 'or') return { get: (row) => l.get(row) === true || r.get(row) === true, type: 'boolean', edm: 'Edm.Boolean' };
    // Incompatible operand types are rejected like ODL does (e.g. a string column against a number).
    if (!l.isNullLiteral && !r.isNullLiteral && incompatible(l.type, r.type)) {
      throw new DataverseError(
        400,
        codes.odata,
        `A binary operator with incompatible types was detected. Found operand types '${l.edm}' and '${r.edm}' for operator kind '${OP_NAMES[node.op] ?? node.op}'.`,
      );
    }
    const type: ValueType = l.type !== 'unknown' ? l.type : r.type;
    const op = node.op;
    return {
      type: 'boolean',
      edm: 'Edm.Boolean',
      get: (row) => {
        const a = normalize(l.get(row), type === 'guid' || l.type === 'guid' || r.type === 'guid' ? 'guid' : type);
        const b = normalize(r.get(row), type === 'guid' || l.type === 'guid' || r.type === 'guid' ? 'guid' : type);
        if (a === null || b === null) {
          if (op === 'eq') return a === b;
          if (op === 'ne') return a !== b;
          return false;
        }
        const c = compareValues(a, b);
        switch (op) {
          case 'eq':
            return c === 0;
          case 'ne':
            return c !== 0;
          case 'gt':
            return c > 0;
          case 'ge':
            return c >= 0;
          case 'lt':
            return c < 0;
          default:
            return c <= 0;
        }
      },
    };
  }

  private call(node: Extract<FilterNode, { k: 'call' }>): Compiled {
    const name = node.name;
    if (name === 'contains' || name === 'startswith' || name === 'endswith') {
      if (node.args.length !== 2)
        throw new DataverseError(
          400,
          codes.odata,
          `No function signature for the function with name '${name}' matches the specified arguments.`,
        );
      const [a0, a1] = node.args as [FilterNode, FilterNode];
      const subject = this.compile(a0);
      const pattern = this.compile(a1);
      if (a1.k === 'lit' && typeof a1.value === 'string') {
        const re = likeToRegex(a1.value, name);
        return {
          type: 'boolean',
          edm: 'Edm.Boolean',
          get: (row) => {
            const v = subject.get(row);
            return typeof v === 'string' && re.test(v);
          },
        };
      }
      return {
        type: 'boolean',
        edm: 'Edm.Boolean',
        get: (row) => {
          const v = subject.get(row);
          const p = pattern.get(row);
          return typeof v === 'string' && typeof p === 'string' && likeToRegex(p, name).test(v);
        },
      };
    }
    throw new DataverseError(
      400,
      codes.odata,
      `The '${name}' function is not supported. Supported string functions are contains, startswith and endswith.`,
    );
  }

  private lambda(node: Extract<FilterNode, { k: 'lambda' }>): Compiled {
    if (!this.binder.collection) throw new DataverseError(400, codes.odata, `The '${node.op}' operator is not supported here.`);
    const { items, itemBinder } = this.binder.collection(node.path);
    if (!node.body) return { type: 'boolean', edm: 'Edm.Boolean', get: (row) => items(row).length > 0 };
    const variable = node.variable;
    // Paths in the body start with the range variable: strip it before binding on the item type.
    const strip = (n: FilterNode): FilterNode => {
      if (n.k === 'path') {
        if (n.segments[0] !== variable)
          throw new DataverseError(400, codes.odata, `Could not find a property named '${n.segments[0] ?? ''}' on the range variable.`);
        return { k: 'path', segments: n.segments.slice(1) };
      }
      if (n.k === 'bin') return { ...n, left: strip(n.left), right: strip(n.right) };
      if (n.k === 'not') return { ...n, expr: strip(n.expr) };
      if (n.k === 'call') return { ...n, args: n.args.map(strip) };
      return n;
    };
    const inner = new FilterCompiler(itemBinder, this.text).predicate(strip(node.body));
    return {
      type: 'boolean',
      edm: 'Edm.Boolean',
      get: node.op === 'any' ? (row) => items(row).some(inner) : (row) => items(row).every(inner),
    };
  }
}

/** Whether a `Microsoft.Dynamics.CRM.*` query function occurs in the expression. */
function containsQueryFunction(node: FilterNode): boolean {
  switch (node.k) {
    case 'crm':
      return true;
    case 'not':
      return containsQueryFunction(node.expr);
    case 'bin':
      return containsQueryFunction(node.left) || containsQueryFunction(node.right);
    default:
      return false;
  }
}
