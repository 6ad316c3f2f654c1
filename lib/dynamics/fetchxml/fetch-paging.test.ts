/** Paging a FetchXML query: the page attributes replace the query's own, and a cookie is data, never markup. */
import { describe, expect, it } from 'vitest';
import { cookieFromAnnotation, pageQuery } from './fetch-paging';
import { parseXml } from './xml-parser';

describe('pageQuery', () => {
  it('sets count, page and paging-cookie on <fetch>, replacing the given ones and keeping the rest', () => {
    const root = parseXml(
      `<fetch page='9' count='2' paging-cookie='old' distinct='true'><entity name='account'><attribute name='name'/></entity></fetch>`,
    );
    const again = parseXml(pageQuery(root, 3, 50, `<cookie page="2"><accountid last="{A}" first="{B}" /></cookie>`));
    expect(Object.fromEntries(again.attrs)).toEqual({
      page: '3',
      count: '50',
      distinct: 'true',
      'paging-cookie': '<cookie page="2"><accountid last="{A}" first="{B}" /></cookie>',
    });
    expect(again.children[0]?.children[0]?.attrs.get('name')).toBe('name');
  });
  it('a hostile cookie cannot add elements or attributes', () => {
    const root = parseXml(`<fetch><entity name='account'/></fetch>`);
    const again = parseXml(pageQuery(root, 2, 5, `x' top='1'><entity name="contact"/><z a='`));
    expect([...again.attrs.keys()].sort()).toEqual(['count', 'page', 'paging-cookie']);
    expect(again.children.map((c) => c.name)).toEqual(['entity']);
    expect(again.children[0]?.attrs.get('name')).toBe('account');
  });
});

describe('cookieFromAnnotation', () => {
  it("decodes the pagingcookie attribute twice, as Learn's Web API steps say", () => {
    const inner = '<cookie page="1"><contactid last="{70BF}" first="{49B0}" /></cookie>';
    const annotation = `<cookie pagenumber="2" pagingcookie="${encodeURIComponent(encodeURIComponent(inner))}" istracking="False" />`;
    expect(cookieFromAnnotation(annotation)).toBe(inner);
    expect(cookieFromAnnotation(undefined)).toBeNull();
    expect(cookieFromAnnotation('<cookie pagenumber="2" />')).toBeNull();
    expect(cookieFromAnnotation('not xml <')).toBeNull();
  });
});
