/**
 * Writes a parsed element back as XML: attribute values and text escaped, so a value set from data
 * (a paging cookie, say) can never change the document's structure.
 */
import type { XmlElement } from './xml-parser';

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function serializeXml(el: XmlElement): string {
  const attrs = [...el.attrs].map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  const text = el.text.trim() ? escapeText(el.text) : '';
  if (!el.children.length && !text) return `<${el.name}${attrs} />`;
  return `<${el.name}${attrs}>${text}${el.children.map(serializeXml).join('')}</${el.name}>`;
}
