/**
 * The FetchXML paging cookie, as Dataverse's Web API returns it in
 * `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`:
 *   <cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e…" istracking="False" />
 * The `pagingcookie` attribute is the inner cookie URL-encoded twice (lower-case hex); the inner
 * cookie names the page it describes and, per ordered column and the primary key, the first and
 * last values on it (GUIDs upper-case in braces). Clients send the inner cookie back, XML-encoded,
 * in the `<fetch paging-cookie>` attribute with the next `page`.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results#paging-cookies
 */
import { parseXml, XmlSyntaxError } from '../../fetchxml/xml-parser';

export interface CookieColumn {
  name: string;
  first: string;
  last: string;
}

const xmlAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** URL-encoding as .NET's HttpUtility does it for the cookie: every byte outside [A-Za-z0-9-_.] as lower-case %xx. */
function urlEncode(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.]/.test(ch) ? ch : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export const cookieGuid = (id: string): string => `{${id.toUpperCase()}}`;

export function innerCookie(page: number, columns: CookieColumn[]): string {
  const parts = columns.map((c) => `<${c.name} last="${xmlAttr(c.last)}" first="${xmlAttr(c.first)}" />`);
  return `<cookie page="${page}">${parts.join('')}</cookie>`;
}

/** The annotation value for a page that has more records after it. */
export function pagingCookieAnnotation(page: number, columns: CookieColumn[]): string {
  return `<cookie pagenumber="${page + 1}" pagingcookie="${urlEncode(urlEncode(innerCookie(page, columns)))}" istracking="False" />`;
}

export interface ParsedCookie {
  page: number;
  /** primary key value of the last row on that page (lower-case, no braces) */
  lastId: string | null;
}

/** The cookie a client sent back; null when it is not one (Dataverse then falls back to simple paging). */
export function parseInnerCookie(text: string, primaryId: string): ParsedCookie | null {
  try {
    const root = parseXml(text, { maxChars: 16 * 1024, maxDepth: 4, maxElements: 64 });
    if (root.name !== 'cookie') return null;
    const page = Number(root.attrs.get('page'));
    if (!Number.isInteger(page) || page < 1) return null;
    const pk = root.children.find((c) => c.name === primaryId);
    const last =
      pk?.attrs
        .get('last')
        ?.replace(/^\{|\}$/g, '')
        .toLowerCase() ?? null;
    return { page, lastId: last };
  } catch (e) {
    if (e instanceof XmlSyntaxError) return null;
    throw e;
  }
}
