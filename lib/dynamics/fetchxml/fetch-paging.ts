/**
 * Paging a FetchXML query with the paging cookie, the steps Learn gives for the Web API: set `count`
 * and `page` on `<fetch>`; after each page, when `@Microsoft.Dynamics.CRM.morerecords` is true, take
 * the `pagingcookie` attribute of `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`, URL-decode it
 * twice, set it (XML-encoded) as `paging-cookie` and ask for the next page. A query Dataverse gives
 * no cookie for falls back to simple paging (the page number alone).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results#paging-cookies
 */
import { parseXml, type XmlElement } from './xml-parser';
import { serializeXml } from './xml-serialize';

export const PAGING_ANNOTATIONS = 'Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords';

/** The query for one page: a copy of `root` with `count`, `page` and (when given) `paging-cookie` set. */
export function pageQuery(root: XmlElement, page: number, count: number, cookie: string | null): string {
  const attrs = new Map(root.attrs);
  attrs.delete('paging-cookie');
  attrs.set('count', String(count));
  attrs.set('page', String(page));
  if (cookie !== null) attrs.set('paging-cookie', cookie);
  return serializeXml({ ...root, attrs });
}

/** The inner cookie of a `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` annotation, or null when it has none. */
export function cookieFromAnnotation(annotation: unknown): string | null {
  if (typeof annotation !== 'string' || !annotation) return null;
  try {
    const el = parseXml(annotation, { maxChars: 32 * 1024, maxDepth: 2, maxElements: 4 });
    const encoded = el.attrs.get('pagingcookie');
    return encoded ? decodeURIComponent(decodeURIComponent(encoded)) : null;
  } catch {
    return null;
  }
}
