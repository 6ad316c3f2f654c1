/**
 * Conformance: expanding collection-valued navigation properties on an entity set, as Learn's
 * "Join tables using OData" describes it. A single-level expand is not paged: each expanded
 * collection comes with a `<nav>@odata.nextLink` without paging information (the filtered
 * collection with the expand's options). Under a nested `$expand`, `odata.maxpagesize` pages each
 * expanded collection and its `<nav>@odata.nextLink` continues it; `$top`/`$orderby` are then refused;
 * `/$ref` is for single-valued navigation properties only.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#expand-collection-valued-navigation-properties
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables#return-references
 */
import { describe, expect, it } from 'vitest';
import { setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

type Row = Record<string, unknown>;
type Page = { value: Row[] } & Row;
type Failure = { error: { code: string; message: string } };

/** An account with at least `n` contacts (the seed has several with many). */
async function accountWithContacts(n: number): Promise<{ id: string; count: number }> {
  const r = await t.json<Page>('accounts?$select=accountid&$expand=contact_customer_accounts($select=contactid)');
  for (const a of r.body.value) {
    const kids = a.contact_customer_accounts as Row[];
    if (kids.length >= n) return { id: String(a.accountid), count: kids.length };
  }
  throw new Error(`no account with ${n} contacts`);
}

describe('Single $expand on collection-valued navigation properties', () => {
  it('returns every related row (no paging) and <nav>@odata.nextLink without paging information', async () => {
    const { id, count } = await accountWithContacts(3);
    const r = await t.json<Page>(
      `accounts?$select=name&$filter=accountid eq ${id}&$expand=contact_customer_accounts($select=fullname;$filter=contactid ne null)`,
      { headers: { Prefer: 'odata.maxpagesize=1' } },
    );
    const a = r.body.value[0] ?? {};
    expect((a.contact_customer_accounts as Row[]).length).toBe(count);
    expect(a['contact_customer_accounts@odata.nextLink']).toBe(
      `${t.api}/accounts(${id})/contact_customer_accounts?$select=fullname&$filter=contactid%20ne%20null`,
    );
    // The link is the filtered collection: following it returns the same rows.
    const link = String(a['contact_customer_accounts@odata.nextLink']);
    const again = await t.json<Page>(link.slice(t.api.length + 1));
    expect(again.body.value.length).toBe(count);
    // $top and $orderby are allowed in a single-level expand.
    const top = await t.json<Page>(
      `accounts?$select=name&$filter=accountid eq ${id}&$expand=contact_customer_accounts($select=fullname;$orderby=fullname;$top=2)`,
    );
    expect((top.body.value[0]?.contact_customer_accounts as Row[]).length).toBe(2);
  });
});

describe('Nested $expand on collection-valued navigation properties', () => {
  it('pages each expanded collection by odata.maxpagesize; its nextLink returns the next rows', async () => {
    const { id, count } = await accountWithContacts(3);
    const r = await t.json<Page>(
      `accounts?$select=name&$filter=accountid eq ${id}&$expand=contact_customer_accounts($select=fullname;$expand=parentcustomerid_account($select=name))`,
      { headers: { Prefer: 'odata.maxpagesize=2' } },
    );
    const a = r.body.value[0] ?? {};
    const first = a.contact_customer_accounts as Row[];
    expect(first).toHaveLength(2);
    expect((first[0]?.parentcustomerid_account as Row).accountid).toBe(id);
    const link = String(a['contact_customer_accounts@odata.nextLink']);
    expect(link).toContain(`${t.api}/accounts(${id})/contact_customer_accounts?$select=fullname&$expand=`);
    expect(link).toContain('$skiptoken=');
    const seen = new Set(first.map((c) => c.contactid));
    let next: string | undefined = link;
    while (next) {
      const page: { status: number; body: Page } = await t.json<Page>(next.slice(t.api.length + 1), {
        headers: { Prefer: 'odata.maxpagesize=2' },
      });
      expect(page.status).toBe(200);
      for (const c of page.body.value) seen.add(c.contactid);
      next = page.body['@odata.nextLink'] as string | undefined;
    }
    expect(seen.size).toBe(count);
  });

  it('$top or $orderby under a nested $expand is 400 0x80060888 with the documented message', async () => {
    for (const option of ['$top=2', '$orderby=fullname']) {
      const r = await t.json<Failure>(
        `accounts?$select=name&$expand=contact_customer_accounts($select=fullname;${option};$expand=parentcustomerid_account($select=name))`,
      );
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({
        code: '0x80060888',
        message:
          'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.',
      });
    }
  });
});

describe('Return references', () => {
  it('/$ref on a single-valued navigation property returns @odata.id; on a collection it is 400 0x80060888', async () => {
    const single = await t.json<Page>('accounts?$select=name&$top=1&$expand=primarycontactid/$ref');
    expect(single.status).toBe(200);
    const coll = await t.json<Failure>('accounts?$select=name&$expand=contact_customer_accounts/$ref');
    expect(coll.status).toBe(400);
    expect(coll.body.error).toEqual({
      code: '0x80060888',
      message: 'Expand with $ref is only supported on lookup type navigation property.',
    });
  });
});
