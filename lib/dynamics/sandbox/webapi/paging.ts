/**
 * `$skiptoken` paging cookies in Dataverse's shape:
 *   <cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e%253caccountid%2520last%253d%2522%257b…%257d%2522%2520first%253d%2522%257b…%257d%2522%2520%252f%253e%253c%252fcookie%253e" istracking="False" />
 * The inner paging cookie is URL-encoded (twice once in the link) and holds the first/last primary keys of the page
 * (upper-case GUIDs in braces). Clients treat it as opaque; the sandbox uses `last` for keyset
 * paging of unordered queries and `pagenumber` for ordered ones. Change-tracking pages carry
 * `istracking="True"` and the delta cursor.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 */
import { DataverseError, codes } from '../errors';

export interface PageCursor {
  page: number;
  lastId: string | null;
  tracking: boolean;
  /** change tracking: last version emitted and the phase (changed rows, then deletions) */
  deltaAfter?: number;
  deltaPhase?: 'rows' | 'deletes';
  deltaUpTo?: number;
}

export function encodeSkipToken(pk: string, c: PageCursor, firstId: string | null): string {
  const brace = (g: string | null): string => (g ? `{${g.toUpperCase()}}` : '');
  let inner = `<cookie page="${c.page - 1}"><${pk} last="${brace(c.lastId)}" first="${brace(firstId)}" />`;
  if (c.deltaAfter !== undefined) inner += `<delta after="${c.deltaAfter}" phase="${c.deltaPhase ?? 'rows'}" upto="${c.deltaUpTo ?? 0}" />`;
  inner += '</cookie>';
  // Encoded once here (lower-case escapes, %3ccookie…) and once more in the link (%253ccookie…).
  const once = encodeURIComponent(inner).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return `<cookie pagenumber="${c.page}" pagingcookie="${once}" istracking="${c.tracking ? 'True' : 'False'}" />`;
}

function invalid(): DataverseError {
  return new DataverseError(400, codes.queryInvalid, 'The $skiptoken value is not valid.');
}

export function decodeSkipToken(token: string): PageCursor {
  const page = /pagenumber="(\d+)"/.exec(token);
  const cookie = /pagingcookie="([^"]*)"/.exec(token);
  const tracking = /istracking="True"/i.test(token);
  if (!page?.[1]) throw invalid();
  const cursor: PageCursor = { page: Number(page[1]), lastId: null, tracking };
  if (cookie?.[1]) {
    let inner: string;
    try {
      inner = decodeURIComponent(cookie[1]);
    } catch {
      throw invalid();
    }
    const last = /last="\{([0-9A-Fa-f-]{36})\}"/.exec(inner);
    if (last?.[1]) cursor.lastId = last[1].toLowerCase();
    const delta = /<delta after="(\d+)" phase="(rows|deletes)" upto="(\d+)"/.exec(inner);
    if (delta) {
      cursor.deltaAfter = Number(delta[1]);
      cursor.deltaPhase = delta[2] as 'rows' | 'deletes';
      cursor.deltaUpTo = Number(delta[3]);
    }
  }
  return cursor;
}

/** Rebuilds the request's query string with a new `$skiptoken` (order of options preserved). */
export function linkWith(base: string, raw: Array<[string, string]>, extra: Array<[string, string]>): string {
  const params = [...raw.filter(([k]) => k !== '$skiptoken' && k !== '$deltatoken'), ...extra];
  if (!params.length) return base;
  const encode = (k: string, v: string): string => {
    // Delta tokens are fully escaped in lower case (`919042%2108%2f22%2f2017%2008%3a10%3a44`), as in Learn's change-tracking example.
    if (k === '$deltatoken')
      return encodeURIComponent(v)
        .replace(/!/g, '%21')
        .replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    return encodeURIComponent(v).replace(/%2C/g, ',').replace(/%24/g, '$').replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%3D/g, '=');
  };
  return `${base}?${params.map(([k, v]) => `${k}=${encode(k, v)}`).join('&')}`;
}
