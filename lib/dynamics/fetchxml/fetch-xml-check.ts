/**
 * The checks a FetchXML query passes before it is sent: no longer than a Web API GET can carry,
 * well-formed XML, a `<fetch>` root with one `<entity name>` — the table the query runs on. Used by
 * the editor's validation and by the connector before it calls Dataverse.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/overview
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/retrieve-data
 */
import { parseXml, XmlSyntaxError, type XmlElement } from './xml-parser';

/** Web API GET URLs are limited to 32,768 characters; the query is sent URL-encoded inside one. */
export const FETCH_XML_MAX_CHARS = 16_000;

export type FetchXmlCheck = { ok: true; entity: string; root: XmlElement } | { ok: false; message: string };

export function checkFetchXml(xml: string, expectedEntity?: string): FetchXmlCheck {
  if (!xml.trim()) return { ok: false, message: 'The FetchXML query is empty.' };
  if (xml.length > FETCH_XML_MAX_CHARS)
    return { ok: false, message: `The FetchXML query is longer than ${FETCH_XML_MAX_CHARS.toLocaleString('en-US')} characters.` };
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    return { ok: false, message: `The FetchXML query is not well-formed XML: ${e instanceof XmlSyntaxError ? e.message : String(e)}` };
  }
  if (root.name !== 'fetch') return { ok: false, message: `The FetchXML root element must be <fetch>, not <${root.name}>.` };
  const entities = root.children.filter((c) => c.name === 'entity');
  if (entities.length !== 1) return { ok: false, message: 'The <fetch> element must contain exactly one <entity> element.' };
  const entity = entities[0]?.attrs.get('name') ?? '';
  if (!entity) return { ok: false, message: 'The <entity> element needs a name attribute.' };
  if (expectedEntity !== undefined && entity !== expectedEntity)
    return { ok: false, message: `The FetchXML query is on '${entity}' but this step retrieves '${expectedEntity}'.` };
  return { ok: true, entity, root };
}
