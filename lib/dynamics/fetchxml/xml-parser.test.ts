/**
 * The FetchXML parser is safe on hostile input: no DTDs or entity declarations, only the five
 * predefined entities and character references, bounded size, depth and element count, and time
 * linear in the input (no backtracking). Also checks the shared pre-send checks of a query.
 */
import { describe, expect, it } from 'vitest';
import { checkFetchXml, FETCH_XML_MAX_CHARS } from './fetch-xml-check';
import { parseXml, XmlSyntaxError } from './xml-parser';

const fails = (xml: string, pattern: RegExp) => {
  expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
  expect(() => parseXml(xml)).toThrow(pattern);
};

describe('parseXml', () => {
  it('parses elements, both quote styles, self-closing tags, text, CDATA, comments and the declaration', () => {
    const root = parseXml(
      `<?xml version="1.0"?>\n<!-- q --><fetch top="5" page='1'><entity name='account'><attribute name="name"/><filter><condition attribute='x' operator='in'><value>a &amp; b</value><value><![CDATA[<c>]]></value></condition></filter></entity></fetch>`,
    );
    expect(root.name).toBe('fetch');
    expect(root.attrs.get('top')).toBe('5');
    expect(root.attrs.get('page')).toBe('1');
    const cond = root.children[0]?.children[1]?.children[0];
    expect(cond?.children.map((v) => v.text)).toEqual(['a & b', '<c>']);
  });
  it('decodes the predefined entities and character references in attribute values', () => {
    const root = parseXml(`<a v='&lt;cookie page=&quot;1&quot;&gt;&#39;&#x41;&apos;'/>`);
    expect(root.attrs.get('v')).toBe(`<cookie page="1">'A'`);
  });
  it('refuses DTDs, entity declarations, undeclared entities and processing instructions', () => {
    fails(`<!DOCTYPE a [<!ENTITY x "${'y'.repeat(10)}">]><a/>`, /DTDs/);
    fails(`<a v='&x;'/>`, /undeclared entity 'x'/);
    fails(`<a>&#0;</a>`, /Invalid character reference/);
    fails(`<a><?php x ?></a>`, /Processing instructions/);
  });
  it('refuses what is not well-formed, with the position', () => {
    fails(`<a><b></a></b>`, /'b' start tag does not match the end tag of 'a' at position \d+/);
    fails(`<a>`, /'a' is not closed/);
    fails(`<a/><b/>`, /multiple root elements/);
    fails(`<a x='1' x='2'/>`, /appears twice/);
    fails(`<a x=1/>`, /quoted value/);
    fails(`<a x='<'/>`, /'<' is not allowed/);
    fails(`text<a/>`, /outside the root/);
    fails(``, /no root element/);
  });
  it('bounds size, depth and element count', () => {
    fails(`<a>${'x'.repeat(70_000)}</a>`, /longer than/);
    fails(`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`, /nested deeper than 32/);
    fails(`<a>${'<b/>'.repeat(6000)}</a>`, /more than 5000 elements/);
  });
  it('takes linear time on adversarial input near the limits', () => {
    const inputs = [
      `<a v='${'&amp;'.repeat(12_000)}'/>`,
      `<a>${'<b c="d" e="f"/>'.repeat(3_500)}</a>`,
      `<a>${'<!-- - -- ->'.repeat(5_000)}</a>`,
    ];
    for (const xml of inputs) {
      const started = performance.now();
      try {
        parseXml(xml);
      } catch {
        // a refusal is fine; the time is what is measured
      }
      expect(performance.now() - started).toBeLessThan(250);
    }
  });
});

describe('checkFetchXml', () => {
  it('accepts a well-formed query on the expected table and names its entity', () => {
    const r = checkFetchXml(`<fetch><entity name='account'><attribute name='name'/></entity></fetch>`, 'account');
    expect(r.ok && r.entity).toBe('account');
  });
  it('reports the empty, the too long, the malformed, the wrong root and the wrong table', () => {
    const message = (xml: string, entity?: string) => {
      const r = checkFetchXml(xml, entity);
      return r.ok ? '' : r.message;
    };
    expect(message('  ')).toBe('The FetchXML query is empty.');
    expect(message(`<fetch>${' '.repeat(FETCH_XML_MAX_CHARS)}</fetch>`)).toMatch(/longer than 16,000 characters/);
    expect(message(`<fetch><entity name='account'>`)).toMatch(/^The FetchXML query is not well-formed XML: /);
    expect(message(`<query/>`)).toBe('The FetchXML root element must be <fetch>, not <query>.');
    expect(message(`<fetch/>`)).toBe('The <fetch> element must contain exactly one <entity> element.');
    expect(message(`<fetch><entity name='contact'/></fetch>`, 'account')).toBe(
      "The FetchXML query is on 'contact' but this step retrieves 'account'.",
    );
  });
});
