// "Relate records" and "Unrelate records" over real HTTP against the sandbox with the real
// Dataverse client: the lead's many-to-many relationships come from the metadata layer, relating
// twice and unrelating a pair that is not related both succeed, and each effect is read back from
// the sandbox's navigation collections through the client, never through the code under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataverseRecord } from '../../client/types';
import { MetadataCache } from '../../metadata/metadata-cache';
import { ActionError } from '../errors';
import { executeAction, resolveAction } from '../execute-action';
import { sandboxAccount, type SandboxAccount } from '../../../../test/support/sandbox-client';

let env: SandboxAccount;
let cache: MetadataCache;
let leadId = '';
let accountId = '';
let contactId = '';

const run = <T = Record<string, unknown>>(actionId: string, input: unknown) =>
  executeAction({ client: env.client, actionId, input, cache }) as Promise<T>;

async function first(entitySet: string, select: string[]): Promise<DataverseRecord> {
  for await (const page of env.client.retrievePages(entitySet, { select, top: 1 })) if (page[0]) return page[0];
  throw new Error(`the sandbox has no ${entitySet}`);
}

/** Ids of the rows related through `nav`, read with the client's retrieve and a collection $expand. */
async function relatedIds(entitySet: string, id: string, nav: string, pk: string): Promise<string[]> {
  const row = await env.client.retrieve(
    entitySet,
    { id },
    { select: [entitySet === 'leads' ? 'leadid' : 'contactid'], expand: [{ navigationProperty: nav, select: [pk] }] },
  );
  return ((row?.[nav] as DataverseRecord[] | undefined) ?? []).map((r) => String(r[pk]));
}
const relatedAccounts = () => relatedIds('leads', leadId, 'accountleads_association', 'accountid');

beforeAll(async () => {
  env = await sandboxAccount();
  cache = new MetadataCache();
  leadId = String((await first('leads', ['leadid'])).leadid);
  accountId = String((await first('accounts', ['accountid'])).accountid);
  contactId = String((await first('contacts', ['contactid'])).contactid);
});
afterAll(async () => {
  await env?.close();
});

describe('Relate and Unrelate records', () => {
  it("offer the table's many-to-many relationships from metadata as the relationship's choices", async () => {
    const lead = await cache.table(env.client, 'lead');
    expect(lead.manyToMany?.map((r) => [r.schemaName, r.relatedTable, r.navigationProperty])).toEqual([
      ['accountleads_association', 'account', 'accountleads_association'],
      ['contactleads_association', 'contact', 'contactleads_association'],
    ]);
    const { schema } = await resolveAction(env.client, 'dynamics.lead.relate', cache);
    const json = JSON.stringify(schema.toJSONSchema?.() ?? {});
    expect(json).toContain('accountleads_association');
    const account = await cache.table(env.client, 'account');
    expect(account.manyToMany?.map((r) => r.relatedTable)).toEqual(['lead']);
  });

  it('relates a lead to an account; relating again succeeds unchanged; unrelating twice succeeds', async () => {
    const input = { relationship: 'accountleads_association', id: leadId, relatedId: accountId };
    expect(await run('dynamics.lead.relate', input)).toEqual({ ...input, relationship: 'accountleads_association', changed: true });
    expect(await relatedAccounts()).toContain(accountId);
    expect(await run('dynamics.lead.relate', input)).toMatchObject({ changed: false });
    expect((await relatedAccounts()).filter((id) => id === accountId)).toHaveLength(1);
    await run('dynamics.lead.unrelate', input);
    expect(await relatedAccounts()).not.toContain(accountId);
    await expect(run('dynamics.lead.unrelate', input)).resolves.toMatchObject({ relatedId: accountId });
  });

  it('works from the other side of the relationship too (contact → lead)', async () => {
    const input = { relationship: 'contactleads_association', id: contactId, relatedId: leadId };
    await run('dynamics.contact.relate', input);
    const leads = await relatedIds('contacts', contactId, 'contactleads_association', 'leadid');
    expect(leads).toContain(leadId);
    await run('dynamics.contact.unrelate', input);
  });

  it('refuses a relationship the table does not have and a bad id before calling Dataverse', async () => {
    await expect(run('dynamics.lead.relate', { relationship: 'nope', id: leadId, relatedId: accountId })).rejects.toBeInstanceOf(
      ActionError,
    );
    await expect(
      run('dynamics.lead.relate', { relationship: 'accountleads_association', id: 'not-a-guid', relatedId: accountId }),
    ).rejects.toThrow(/GUID/);
    await expect(
      run('dynamics.product.relate', { relationship: 'accountleads_association', id: leadId, relatedId: accountId }),
    ).rejects.toThrow(/no many-to-many relationships/);
  });

  it('a related record that does not exist is Dataverse’s not-found error', async () => {
    await expect(
      run('dynamics.lead.relate', {
        relationship: 'accountleads_association',
        id: leadId,
        relatedId: '00000000-0000-0000-0000-00000000beef',
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
