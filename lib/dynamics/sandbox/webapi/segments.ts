/** Splits a Web API path into segments `name` / `name(key)`, respecting quotes inside keys. */
import { DataverseError, codes } from '../errors';

export interface Segment {
  name: string;
  key: string | null;
  raw: string;
}

export function splitPath(path: string): Segment[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (const ch of path) {
    if (ch === "'" && depth > 0) quoted = !quoted;
    if (!quoted) {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (ch === '/' && depth === 0) {
        parts.push(cur);
        cur = '';
        continue;
      }
    }
    cur += ch;
  }
  parts.push(cur);
  return parts
    .filter((p, i) => p.length > 0 || i === 0)
    .map((raw) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        throw new DataverseError(400, codes.queryInvalid, `The request URI segment '${raw}' is not correctly encoded.`);
      }
      const open = decoded.indexOf('(');
      if (open > 0 && decoded.endsWith(')')) return { name: decoded.slice(0, open), key: decoded.slice(open + 1, -1), raw: decoded };
      return { name: decoded, key: null, raw: decoded };
    });
}
