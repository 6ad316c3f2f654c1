/**
 * System query options: `$select, $expand, $orderby, $filter, $top, $count` plus
 * `$skiptoken`/`$deltatoken` from server links and parameter aliases (`@p1`). `$skip`, `$search`,
 * `$format` are not supported by Dataverse and rejected; option names are case-sensitive. The query
 * string is decoded without the form-encoding `+`→space rule, since OData values may contain a
 * literal `+` (e.g. time-zone offsets).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview
 */
import { DataverseError, codes } from '../errors';

export interface ExpandItem {
  nav: string;
  ref: boolean;
  options: QueryOptions;
  /** the options as written inside the parentheses (`$select=subject;$filter=…`), for `<nav>@odata.nextLink` */
  inner: string;
}

export interface QueryOptions {
  select: string[] | null;
  filter: string | null;
  orderby: string | null;
  top: number | null;
  count: boolean;
  expand: ExpandItem[];
  skiptoken: string | null;
  deltatoken: string | null;
  aliases: Map<string, string>;
  /** raw params other than aliases, for building next links */
  raw: Array<[string, string]>;
}

const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top', '$count', '$expand', '$skiptoken', '$deltatoken', '$id']);
const UNSUPPORTED = new Set(['$skip', '$search', '$format', '$apply', '$compute', '$index', '$levels', '$schemaversion']);

export function emptyOptions(): QueryOptions {
  return {
    select: null,
    filter: null,
    orderby: null,
    top: null,
    count: false,
    expand: [],
    skiptoken: null,
    deltatoken: null,
    aliases: new Map(),
    raw: [],
  };
}

export function decodeQuery(search: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const q = search.startsWith('?') ? search.slice(1) : search;
  if (!q) return out;
  for (const part of q.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      // Like Dataverse (ASP.NET), a bare `+` is a space: a literal plus is sent as %2B.
      out.push([decodeURIComponent(k.replaceAll('+', ' ')), decodeURIComponent(v.replaceAll('+', ' '))]);
    } catch {
      throw new DataverseError(400, codes.queryInvalid, `The query string '${part}' is not correctly encoded.`);
    }
  }
  return out;
}

/** Split on a separator outside parentheses, brackets and quotes. */
export function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of s) {
    if (ch === "'") quoted = !quoted;
    if (!quoted) {
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (ch === sep && depth === 0) {
        parts.push(cur);
        cur = '';
        continue;
      }
    }
    cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function applyOption(opts: QueryOptions, key: string, value: string, nested: boolean): void {
  switch (key) {
    case '$select':
      opts.select = splitTop(value, ',');
      return;
    case '$filter':
      opts.filter = value;
      return;
    case '$orderby':
      opts.orderby = value;
      return;
    case '$top': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
        throw new DataverseError(
          400,
          codes.odata,
          `Invalid value '${value}' for $top query option found. The $top query option requires a non-negative integer value.`,
        );
      }
      opts.top = n;
      return;
    }
    case '$count':
      if (value !== 'true' && value !== 'false') {
        throw new DataverseError(400, codes.odata, `'${value}' is not a valid count option.`);
      }
      opts.count = value === 'true';
      return;
    case '$expand':
      opts.expand = parseExpand(value);
      return;
    case '$skiptoken':
      if (nested) break;
      opts.skiptoken = value;
      return;
    case '$deltatoken':
      if (nested) break;
      opts.deltatoken = value;
      return;
    case '$id':
      // The entity reference of `DELETE …/<nav>/$ref?$id=<url>`, read by that route.
      if (nested) break;
      return;
  }
  throw new DataverseError(400, codes.queryInvalid, `The query parameter ${key} is not supported`);
}

export function parseExpand(value: string): ExpandItem[] {
  return splitTop(value, ',').map((item) => {
    const open = item.indexOf('(');
    let nav = open < 0 ? item : item.slice(0, open);
    const inner = open < 0 ? '' : item.slice(open + 1, item.lastIndexOf(')'));
    let ref = false;
    if (nav.endsWith('/$ref')) {
      ref = true;
      nav = nav.slice(0, -5);
    }
    const options = emptyOptions();
    for (const part of splitTop(inner, ';')) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new DataverseError(400, codes.odata, `Syntax error in $expand option '${part}'.`);
      applyOption(options, part.slice(0, eq).trim(), part.slice(eq + 1), true);
    }
    return { nav: nav.trim(), ref, options, inner };
  });
}

export function parseQueryOptions(search: string): QueryOptions {
  const opts = emptyOptions();
  for (const [k, v] of decodeQuery(search)) {
    if (k.startsWith('@')) {
      opts.aliases.set(k, v);
      continue;
    }
    if (!k.startsWith('$')) continue; // custom query options are ignored
    if (UNSUPPORTED.has(k)) throw new DataverseError(400, codes.queryInvalid, `The query parameter ${k} is not supported`);
    if (!SUPPORTED.has(k)) throw new DataverseError(400, codes.queryInvalid, `The query parameter ${k} is not supported`);
    opts.raw.push([k, v]);
    applyOption(opts, k, v, false);
  }
  return opts;
}

export interface OrderItem {
  path: string[];
  desc: boolean;
}

export function parseOrderBy(value: string): OrderItem[] {
  return splitTop(value, ',').map((part) => {
    const m = /^(\S+)(?:\s+(asc|desc))?$/.exec(part);
    if (!m || !m[1]) throw new DataverseError(400, codes.odata, `Syntax error at position 0 in '${value}'.`);
    return { path: m[1].split('/'), desc: m[2] === 'desc' };
  });
}
