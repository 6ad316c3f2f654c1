// Retrieve's FetchXML mode and the client's fetchPages, over real HTTP against the sandbox with
// the real Dataverse client: rows, joins and aggregates come back in Retrieve's output shape, pages
// are asked for lazily through the paging cookie (the sandbox's request log counts them), and a
// query on another table, a malformed one, or one beside conditions is refused before it is sent.
// Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DataverseRecord } from '../../client/types';
import { MetadataCache } from '../../metadata/metadata-cache';
import { executeAction } from '../execute-action';
import { sandboxAccount, type SandboxAccount } from '../../../../test/support/sandbox-client';

let env: SandboxAccount;
let cache: MetadataCache;
type Out = { records: DataverseRecord[]; count: number; moreAvailable: boolean };
const run = (input: unknown, table = 'contact') =>
  executeAction({ client: env.client, actionId: `dynamics.${table}.retrieve`, input, cache }) as Promise<Out>;
const ordered = (count = '') =>
  `<fetch${count}><entity name='contact'><attribute name='fullname'/><attribute name='parentcustomerid'/><order attribute='fullname'/></entity></fetch>`;

async function fetchRequests(): Promise<number> {
  const log = (await (await env.sandbox.hook('requests?path=contacts')).json()) as {
    value: Array<{ path: string; query?: string; url?: string }>;
  };
  return log.value.filter((r) => JSON.stringify(r).includes('fetchXml')).length;
}

async function everyContact(): Promise<DataverseRecord[]> {
  const rows: DataverseRecord[] = [];
  for await (const page of env.client.fetchPages('contacts', ordered(), { pageSize: 5000 })) rows.push(...page);
  return rows;
}

beforeAll(async () => {
  env = await sandboxAccount();
  cache = new MetadataCache();
});
beforeEach(async () => {
  await env.sandbox.hook('requests', { method: 'DELETE' });
});
afterAll(async () => {
  await env?.close();
});

describe('client.fetchPages', () => {
  it('walks every page through the paging cookie, each row once and in the query order', async () => {
    const all = await everyContact();
    const paged: DataverseRecord[] = [];
    let pages = 0;
    for await (const page of env.client.fetchPages('contacts', ordered(), { pageSize: 9 })) {
      pages++;
      expect(page.length).toBeLessThanOrEqual(9);
      paged.push(...page);
    }
    expect(paged.map((r) => r.contactid)).toEqual(all.map((r) => r.contactid));
    expect(pages).toBe(Math.ceil(all.length / 9));
  });
  it('stops asking when the caller stops reading', async () => {
    await env.sandbox.hook('requests', { method: 'DELETE' });
    for await (const page of env.client.fetchPages('contacts', ordered(), { pageSize: 4 })) {
      expect(page).toHaveLength(4);
      break;
    }
    expect(await fetchRequests()).toBe(1);
  });
  it('refuses a malformed query locally and surfaces a Dataverse error with its code', async () => {
    const local = async () => {
      for await (const _ of env.client.fetchPages('contacts', `<fetch><entity name='contact'>`)) void _;
    };
    await expect(local()).rejects.toMatchObject({ code: 'invalid_request' });
    const remote = async () => {
      for await (const _ of env.client.fetchPages('contacts', `<fetch><entity name='contact'><attribute name='nosuch'/></entity></fetch>`))
        void _;
    };
    await expect(remote()).rejects.toMatchObject({ status: 400, code: '0x80041103' });
  });
});

describe('Retrieve in FetchXML mode', () => {
  it('returns the first maxItems rows in the same output shape, with formatted values, asking only for the pages it needs', async () => {
    const all = await everyContact();
    await env.sandbox.hook('requests', { method: 'DELETE' });
    const out = await run({ fetchXml: ordered(" count='5'"), maxItems: 12 });
    expect(out.count).toBe(12);
    expect(out.moreAvailable).toBe(true);
    expect(out.records.map((r) => r.contactid)).toEqual(all.slice(0, 12).map((r) => r.contactid));
    expect(out.records.some((r) => typeof r['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue'] === 'string')).toBe(true);
    // 13 rows (one more than asked, to know whether more match) at 5 a page: 3 requests, not all of them.
    expect(await fetchRequests()).toBe(3);
    await expect(run({ fetchXml: ordered(), maxItems: 3, whenMoreMatch: 'error' })).rejects.toMatchObject({ code: 'too_many_matches' });
  });
  it('joins and aggregates: linked columns as alias.column, aggregate rows by alias', async () => {
    const joined = await run({
      fetchXml: `<fetch><entity name='contact'><attribute name='fullname'/><link-entity name='account' from='accountid' to='parentcustomerid' alias='acc'><attribute name='name'/><filter><condition attribute='name' operator='begins-with' value='Fab'/></filter></link-entity></entity></fetch>`,
      maxItems: 500,
    });
    expect(joined.count).toBeGreaterThan(0);
    expect(joined.moreAvailable).toBe(false);
    for (const r of joined.records) expect(String(r['acc.name'])).toMatch(/^Fab/);
    const counted = await run(
      {
        fetchXml: `<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>`,
        maxItems: 1,
      },
      'account',
    );
    expect(counted.records).toHaveLength(1);
    expect(counted.records[0]?.n).toBe(await env.client.count('accounts'));
  });
  it('refuses a query on another table, a malformed one, and one beside conditions, order or columns', async () => {
    await expect(run({ fetchXml: `<fetch><entity name='account'/></fetch>` })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(run({ fetchXml: `<fetch><entity name='contact'>` })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(run({ fetchXml: ordered(), columns: ['fullname'] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      run({ fetchXml: ordered(), conditions: { match: 'all', conditions: [{ field: 'lastname', operator: 'eq', value: 'x' }] } }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await fetchRequests()).toBe(0);
  });
});
