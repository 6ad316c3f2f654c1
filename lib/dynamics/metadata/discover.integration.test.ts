// Discovery over real HTTP against the sandbox organization, with the real client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAccount, type SandboxAccount } from '../../../test/support/sandbox-client';
import { discoverTable, discoverTables } from './discover';

let env: SandboxAccount;
beforeAll(async () => {
  env = await sandboxAccount();
});
afterAll(async () => {
  await env?.close();
});

describe('discovery against the sandbox', () => {
  it('lists the tables usable through the Web API, custom ones included', async () => {
    const { tables } = await discoverTables(env.client);
    const names = tables.map((t) => t.logicalName);
    expect(names).toEqual(expect.arrayContaining(['account', 'contact', 'invoice', 'lead', 'salesorder', 'product', 'new_project']));
    expect(tables.find((t) => t.logicalName === 'new_project')).toMatchObject({
      entitySetName: 'new_projects',
      isCustom: true,
      primaryIdAttribute: 'new_projectid',
      primaryNameAttribute: 'new_name',
    });
    expect(tables.find((t) => t.logicalName === 'transactioncurrency')?.entitySetName).toBe('transactioncurrencies');
  });

  it("discovers contact's custom choice column, its customer lookup and its alternate key", async () => {
    const contact = await discoverTable(env.client, 'contact');
    const channel = contact.columns.find((c) => c.logicalName === 'new_preferredchannel');
    expect(channel).toMatchObject({ type: 'choice', isCustom: true, displayName: 'Preferred Channel' });
    expect(channel?.choices).toEqual([
      { value: 100000000, label: 'Email' },
      { value: 100000001, label: 'Phone' },
      { value: 100000002, label: 'Text message' },
      { value: 100000003, label: 'In person' },
    ]);
    expect(contact.columns.find((c) => c.logicalName === 'parentcustomerid')?.targets).toEqual([
      { table: 'account', navigationProperty: 'parentcustomerid_account' },
      { table: 'contact', navigationProperty: 'parentcustomerid_contact' },
    ]);
    expect(contact.columns.find((c) => c.logicalName === 'lastname')).toMatchObject({
      type: 'string',
      requiredLevel: 'ApplicationRequired',
      maxLength: 50,
    });
    expect(contact.columns.find((c) => c.logicalName === 'statuscode')?.choices).toEqual([
      { value: 1, label: 'Active', state: 0 },
      { value: 2, label: 'Inactive', state: 1 },
    ]);
    expect(contact.alternateKeys.map((k) => k.columns)).toEqual([['emailaddress1']]);
    expect(contact.columns.map((c) => c.logicalName)).not.toContain('address1_composite');
  });

  it('discovers the custom table with its custom lookup navigation property', async () => {
    const project = await discoverTable(env.client, 'new_project');
    expect(project.columns.find((c) => c.logicalName === 'new_accountid')?.targets).toEqual([
      { table: 'account', navigationProperty: 'new_AccountId' },
    ]);
    expect(project.columns.find((c) => c.logicalName === 'new_stage')?.choices?.map((o) => o.label)).toEqual([
      'Planned',
      'In progress',
      'On hold',
      'Done',
    ]);
    expect(project.columns.find((c) => c.logicalName === 'new_startdate')).toMatchObject({ type: 'datetime', dateOnly: true });
    expect(project.alternateKeys).toEqual([expect.objectContaining({ columns: ['new_code'] })]);
  });
});
