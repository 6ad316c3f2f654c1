// All 30 built-in actions (five kinds × six objects) and a discovered custom table, over real HTTP
// against the sandbox organization with the real Dataverse client. Assertions read Dataverse back
// through the client, never through the code under test.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataverseRecord } from '../../client/types';
import { MetadataCache } from '../../metadata/metadata-cache';
import { BUILT_IN_TABLES } from '../built-in-tables';
import { ActionError } from '../errors';
import { executeAction } from '../execute-action';
import { sandboxAccount, type SandboxAccount } from '../../../../test/support/sandbox-client';

let env: SandboxAccount;
let cache: MetadataCache;
const ids: Record<string, string> = {};

const run = <T = Record<string, unknown>>(actionId: string, input: unknown, extra: { idempotencyKey?: string; attempt?: number } = {}) =>
  executeAction({ client: env.client, actionId, input, cache, ...extra }) as Promise<T>;

async function first(entitySet: string, select: string[]): Promise<DataverseRecord> {
  for await (const page of env.client.retrievePages(entitySet, { select, top: 1 })) if (page[0]) return page[0];
  throw new Error(`the sandbox has no ${entitySet}`);
}
const get = (entitySet: string, id: string) => env.client.retrieve(entitySet, { id });

beforeAll(async () => {
  env = await sandboxAccount();
  cache = new MetadataCache();
  ids.account = String((await first('accounts', ['accountid'])).accountid);
  ids.contact = String((await first('contacts', ['contactid'])).contactid);
  ids.pricelevel = String((await first('pricelevels', ['pricelevelid'])).pricelevelid);
  const uom = await first('uoms', ['uomid', '_uomscheduleid_value']);
  ids.uom = String(uom.uomid);
  ids.uomschedule = String(uom._uomscheduleid_value);
});
afterAll(async () => {
  await env?.close();
});

interface TableCase {
  table: string;
  entitySet: string;
  primaryId: string;
  nameField: string;
  create: (tag: string) => Record<string, unknown>;
  update: () => Record<string, unknown>;
  /** What the update must have written, read back raw. */
  updated: Record<string, unknown>;
  alternateKey?: { key: string; fields: (tag: string) => Record<string, unknown> };
}

const cases = (): TableCase[] => [
  {
    table: 'account',
    entitySet: 'accounts',
    primaryId: 'accountid',
    nameField: 'name',
    create: (tag) => ({
      name: tag,
      accountcategorycode: 'preferred customer',
      creditonhold: 'Yes',
      primarycontactid: ids.contact,
      revenue: 1200.5,
    }),
    update: () => ({ accountcategorycode: 'Standard', primarycontactid: null, numberofemployees: 42 }),
    updated: { accountcategorycode: 2, _primarycontactid_value: null, numberofemployees: 42 },
    alternateKey: { key: 'accountnumberkey', fields: (tag) => ({ accountnumber: tag.slice(-20), name: tag }) },
  },
  {
    table: 'contact',
    entitySet: 'contacts',
    primaryId: 'contactid',
    nameField: 'lastname',
    create: (tag) => ({
      lastname: tag,
      firstname: 'Ada',
      new_preferredchannel: 'Phone',
      parentcustomerid: { table: 'account', id: ids.account },
    }),
    update: () => ({ new_preferredchannel: 'in person', statuscode: 'Inactive', parentcustomerid: { table: 'contact', id: ids.contact } }),
    updated: { new_preferredchannel: 100000003, statuscode: 2, statecode: 1, _parentcustomerid_value: () => ids.contact },
    alternateKey: { key: 'emailaddresskey', fields: (tag) => ({ emailaddress1: `${tag}@example.com`, lastname: tag }) },
  },
  {
    table: 'invoice',
    entitySet: 'invoices',
    primaryId: 'invoiceid',
    nameField: 'name',
    create: (tag) => ({
      name: tag,
      customerid: { table: 'account', id: ids.account },
      pricelevelid: ids.pricelevel,
      paymenttermscode: 'Net 30',
      duedate: '2026-07-01',
    }),
    update: () => ({ paymenttermscode: 'net 60', customerid: { table: 'contact', id: ids.contact } }),
    updated: { paymenttermscode: 4, _customerid_value: () => ids.contact },
  },
  {
    table: 'lead',
    entitySet: 'leads',
    primaryId: 'leadid',
    nameField: 'subject',
    create: (tag) => ({ subject: tag, lastname: 'Lovelace', leadsourcecode: 'Web', parentaccountid: ids.account }),
    update: () => ({ statuscode: 'Contacted', leadqualitycode: 'hot' }),
    updated: { statuscode: 2, statecode: 0, leadqualitycode: 1 },
  },
  {
    table: 'salesorder',
    entitySet: 'salesorders',
    primaryId: 'salesorderid',
    nameField: 'name',
    create: (tag) => ({
      name: tag,
      customerid: { table: 'contact', id: ids.contact },
      pricelevelid: ids.pricelevel,
      shippingmethodcode: 'UPS',
    }),
    update: () => ({ shippingmethodcode: 'FedEx', description: "O'Brien) or (1 eq 1" }),
    updated: { shippingmethodcode: 3, description: "O'Brien) or (1 eq 1" },
  },
  {
    table: 'product',
    entitySet: 'products',
    primaryId: 'productid',
    nameField: 'name',
    create: (tag) => ({
      name: tag,
      productnumber: tag.slice(-20),
      defaultuomscheduleid: ids.uomschedule,
      defaultuomid: ids.uom,
      quantitydecimal: 2,
      producttypecode: 'Services',
    }),
    update: () => ({ producttypecode: 'Flat Fees', price: 99.5 }),
    updated: { producttypecode: 4, price: 99.5 },
    alternateKey: {
      key: 'productnumberkey',
      fields: (tag) => ({
        productnumber: tag.slice(-20),
        name: tag,
        defaultuomscheduleid: ids.uomschedule,
        defaultuomid: ids.uom,
        quantitydecimal: 0,
      }),
    },
  },
];

const tag = (table: string) => `it-${table}-${randomUUID().slice(0, 8)}`;

function expectWritten(row: DataverseRecord | null, expected: Record<string, unknown>) {
  expect(row).not.toBeNull();
  for (const [k, v] of Object.entries(expected)) expect([k, row?.[k]]).toEqual([k, typeof v === 'function' ? (v as () => unknown)() : v]);
}

describe('the 30 built-in actions against the sandbox', () => {
  it('covers the six built-in objects', () => {
    expect(
      cases()
        .map((c) => c.table)
        .sort(),
    ).toEqual(BUILT_IN_TABLES.map((t) => t.logicalName).sort());
  });

  for (const c of cases()) {
    describe(c.table, () => {
      let id = '';
      const name = tag(c.table);

      it(`dynamics.${c.table}.create: creates once, even when the step is retried with the same key`, async () => {
        const key = `run-${randomUUID()}:step-1`;
        const created = await run<{ id: string }>(`dynamics.${c.table}.create`, { fields: c.create(name) }, { idempotencyKey: key });
        const again = await run<{ id: string }>(
          `dynamics.${c.table}.create`,
          { fields: c.create(name) },
          { idempotencyKey: key, attempt: 2 },
        );
        expect(again.id).toBe(created.id);
        id = created.id;
        const row = await get(c.entitySet, id);
        expect(row?.[c.nameField]).toBe(name);
        const matches = await run<{ count: number }>(`dynamics.${c.table}.retrieve`, {
          conditions: { match: 'all', conditions: [{ field: c.nameField, operator: 'eq', value: name }] },
        });
        expect(matches.count).toBe(1);
      });

      it(`dynamics.${c.table}.retrieve: conditions, order, max items and columns`, async () => {
        const out = await run<{ records: DataverseRecord[]; count: number; moreAvailable: boolean }>(`dynamics.${c.table}.retrieve`, {
          conditions: {
            match: 'any',
            conditions: [
              { field: c.nameField, operator: 'eq', value: name },
              { field: c.primaryId, operator: 'eq', value: id },
            ],
          },
          orderBy: [{ field: c.nameField, direction: 'desc' }],
          columns: [c.nameField],
          maxItems: 5,
        });
        expect(out).toMatchObject({ count: 1, moreAvailable: false });
        expect(out.records[0]?.[c.primaryId]).toBe(id);
        expect(out.records[0]?.[c.nameField]).toBe(name);
        const two = await run<{ records: DataverseRecord[]; moreAvailable: boolean }>(`dynamics.${c.table}.retrieve`, { maxItems: 2 });
        expect(two.records).toHaveLength(2);
        expect(two.moreAvailable).toBe(true);
        await expect(run(`dynamics.${c.table}.retrieve`, { maxItems: 2, whenMoreMatch: 'error' })).rejects.toMatchObject({
          code: 'too_many_matches',
        });
      });

      it(`dynamics.${c.table}.update: by id, with choice labels, lookups (set and cleared) and state/status`, async () => {
        const out = await run(`dynamics.${c.table}.update`, { match: { by: 'id', id }, fields: c.update() });
        expect(out).toEqual({ updated: 1, ids: [id] });
        expectWritten(await get(c.entitySet, id), c.updated);
      });

      it(`dynamics.${c.table}.upsert: by id updates, by conditions updates, and says which`, async () => {
        const byId = await run(`dynamics.${c.table}.upsert`, { match: { by: 'id', id }, fields: { [c.nameField]: `${name}-u` } });
        expect(byId).toEqual({ id, outcome: 'updated' });
        expect((await get(c.entitySet, id))?.[c.nameField]).toBe(`${name}-u`);
        const byConditions = await run(`dynamics.${c.table}.upsert`, {
          match: {
            by: 'conditions',
            conditions: { match: 'all', conditions: [{ field: c.nameField, operator: 'eq', value: `${name}-u` }] },
          },
          fields: { [c.nameField]: name },
        });
        expect(byConditions).toEqual({ id, outcome: 'updated' });
        const newId = randomUUID();
        const created = await run<{ id: string; outcome: string }>(`dynamics.${c.table}.upsert`, {
          match: { by: 'id', id: newId },
          mode: 'create_only',
          fields: c.create(`${name}-new`),
        });
        expect(created).toEqual({ id: newId, outcome: 'created' });
        await expect(
          run(`dynamics.${c.table}.upsert`, { match: { by: 'id', id: newId }, mode: 'create_only', fields: {} }),
        ).rejects.toMatchObject({ status: 412 });
        await expect(
          run(`dynamics.${c.table}.upsert`, { match: { by: 'id', id: randomUUID() }, mode: 'update_only', fields: {} }),
        ).rejects.toMatchObject({ status: 404 });
        await run(`dynamics.${c.table}.delete`, { match: { by: 'id', id: newId } });
      });

      if (c.alternateKey) {
        const ak = c.alternateKey;
        it(`dynamics.${c.table}.upsert: by alternate key creates, then updates the same record`, async () => {
          const keyTag = tag(c.table);
          const created = await run<{ id: string; outcome: string }>(`dynamics.${c.table}.upsert`, {
            match: { by: 'alternate_key', key: ak.key },
            fields: ak.fields(keyTag),
          });
          expect(created.outcome).toBe('created');
          const updated = await run<{ id: string; outcome: string }>(`dynamics.${c.table}.upsert`, {
            match: { by: 'alternate_key', key: ak.key },
            fields: { ...ak.fields(keyTag), [c.nameField]: `${keyTag}-2` },
          });
          expect(updated).toEqual({ id: created.id, outcome: 'updated' });
          expect((await get(c.entitySet, created.id))?.[c.nameField]).toBe(`${keyTag}-2`);
          await run(`dynamics.${c.table}.delete`, { match: { by: 'id', id: created.id } });
        });
      }

      it(`dynamics.${c.table}.delete: by id; a retry finds it gone and succeeds, a first try does not`, async () => {
        expect(await run(`dynamics.${c.table}.delete`, { match: { by: 'id', id } })).toEqual({ deleted: 1, ids: [id] });
        expect(await get(c.entitySet, id)).toBeNull();
        expect(await run(`dynamics.${c.table}.delete`, { match: { by: 'id', id } }, { attempt: 2 })).toEqual({ deleted: 1, ids: [id] });
        await expect(run(`dynamics.${c.table}.delete`, { match: { by: 'id', id } })).rejects.toMatchObject({ status: 404 });
      });
    });
  }
});

describe('limits on conditions (nothing written over the limit)', () => {
  const subject = tag('limit');
  const leadIds: string[] = [];
  const bySubject = { match: 'all', conditions: [{ field: 'subject', operator: 'eq', value: subject }] };

  beforeAll(async () => {
    for (let i = 0; i < 3; i++)
      leadIds.push((await run<{ id: string }>('dynamics.lead.create', { fields: { subject, lastname: `L${i}` } })).id);
  });

  it('update over the limit fails and changes none; within it changes all', async () => {
    await expect(
      run('dynamics.lead.update', { match: { by: 'conditions', conditions: bySubject, maxMatches: 2 }, fields: { jobtitle: 'changed' } }),
    ).rejects.toMatchObject({ code: 'too_many_matches' });
    for (const id of leadIds) expect((await get('leads', id))?.jobtitle).toBeNull();
    const out = await run<{ updated: number }>('dynamics.lead.update', {
      match: { by: 'conditions', conditions: bySubject, maxMatches: 3 },
      fields: { jobtitle: 'changed' },
    });
    expect(out.updated).toBe(3);
    for (const id of leadIds) expect((await get('leads', id))?.jobtitle).toBe('changed');
  });

  it('upsert by conditions with several matches fails and writes nothing; with none it creates', async () => {
    await expect(
      run('dynamics.lead.upsert', { match: { by: 'conditions', conditions: bySubject }, fields: { jobtitle: 'x' } }),
    ).rejects.toMatchObject({ code: 'ambiguous_match' });
    for (const id of leadIds) expect((await get('leads', id))?.jobtitle).toBe('changed');
    const other = tag('none');
    const key = `run-${randomUUID()}:s`;
    const created = await run<{ id: string; outcome: string }>(
      'dynamics.lead.upsert',
      {
        match: { by: 'conditions', conditions: { match: 'all', conditions: [{ field: 'subject', operator: 'eq', value: other }] } },
        fields: { subject: other, lastname: 'N' },
      },
      { idempotencyKey: key },
    );
    expect(created.outcome).toBe('created');
    // The same step retried after its answer was lost (the created row does not match the
    // conditions, so the retry creates again with the same key): one row, the same id, no error.
    const unmatched = {
      match: { by: 'conditions', conditions: { match: 'all', conditions: [{ field: 'subject', operator: 'eq', value: tag('never') }] } },
      fields: { subject: tag('retried'), lastname: 'R' },
    };
    const retryKey = `run-${randomUUID()}:s`;
    const first = await run<{ id: string; outcome: string }>('dynamics.lead.upsert', unmatched, { idempotencyKey: retryKey });
    const again = await run<{ id: string; outcome: string }>('dynamics.lead.upsert', unmatched, { idempotencyKey: retryKey });
    expect(again).toEqual(first);
    await run('dynamics.lead.delete', { match: { by: 'id', id: first.id } });
    await expect(
      run('dynamics.lead.upsert', {
        match: { by: 'conditions', conditions: { match: 'all', conditions: [{ field: 'subject', operator: 'eq', value: other }] } },
        mode: 'create_only',
        fields: {},
      }),
    ).rejects.toMatchObject({ code: 'already_exists' });
    await run('dynamics.lead.delete', { match: { by: 'id', id: created.id } });
  });

  it('delete over the limit fails and deletes none; within it deletes all', async () => {
    await expect(run('dynamics.lead.delete', { match: { by: 'conditions', conditions: bySubject, maxMatches: 1 } })).rejects.toMatchObject({
      code: 'too_many_matches',
    });
    for (const id of leadIds) expect(await get('leads', id)).not.toBeNull();
    expect(await run('dynamics.lead.delete', { match: { by: 'conditions', conditions: bySubject, maxMatches: 3 } })).toMatchObject({
      deleted: 3,
    });
    for (const id of leadIds) expect(await get('leads', id)).toBeNull();
  });

  it('clears a polymorphic customer lookup whichever table it points to', async () => {
    const { id } = await run<{ id: string }>('dynamics.contact.create', {
      fields: { lastname: tag('clear'), parentcustomerid: { table: 'contact', id: ids.contact } },
    });
    expect((await get('contacts', id))?._parentcustomerid_value).toBe(ids.contact);
    await run('dynamics.contact.update', { match: { by: 'id', id }, fields: { parentcustomerid: null } });
    expect((await get('contacts', id))?._parentcustomerid_value).toBeNull();
    await run('dynamics.contact.delete', { match: { by: 'id', id } });
  });

  it('an unknown choice label is refused before anything is sent', async () => {
    const err = await run('dynamics.contact.create', { fields: { lastname: 'x', new_preferredchannel: 'Carrier pigeon' } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ActionError);
    expect((err as ActionError).message).toMatch(/"Carrier pigeon" is not a choice of Preferred Channel \(new_preferredchannel\)/);
  });
});

describe('retries and injection', () => {
  const faults = (rules: unknown[]) =>
    env.sandbox.hook('faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });

  for (const kind of ['drop', '503'] as const) {
    it(`a create whose first answer is lost (${kind}) leaves exactly one record`, async () => {
      const subject = tag(`retry-${kind}`);
      expect((await faults([{ kind, count: 1, method: 'POST', path: '/leads' }])).status).toBeLessThan(300);
      try {
        await run('dynamics.lead.create', { fields: { subject, lastname: 'R' } }, { idempotencyKey: `run-${randomUUID()}:s1` });
      } finally {
        await env.sandbox.hook('faults', { method: 'DELETE' });
      }
      const found = await run<{ count: number }>('dynamics.lead.retrieve', {
        conditions: { match: 'all', conditions: [{ field: 'subject', operator: 'eq', value: subject }] },
      });
      expect(found.count).toBe(1);
    });
  }

  it("a condition value like O'Brien) or (1 eq 1 stays data: no match, and a well-formed URL", async () => {
    await env.sandbox.hook('requests', { method: 'DELETE' });
    const out = await run<{ count: number }>('dynamics.contact.retrieve', {
      conditions: { match: 'all', conditions: [{ field: 'lastname', operator: 'eq', value: "O'Brien) or (1 eq 1" }] },
    });
    expect(out.count).toBe(0);
    const log = (await (await env.sandbox.hook('requests?method=GET')).json()) as { value: { path: string; status: number }[] };
    const sent = log.value.filter((r) => r.path.includes('contacts?'));
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) {
      expect(r.status).toBe(200);
      expect(decodeURIComponent(r.path)).toContain("lastname eq 'O''Brien) or (1 eq 1'");
    }
  });
});

describe('a discovered custom table (new_project)', () => {
  it('create, retrieve, update, upsert by alternate key and delete', async () => {
    const name = tag('project');
    const code = name.slice(-20);
    const { id } = await run<{ id: string }>('dynamics.new_project.create', {
      fields: {
        new_name: name,
        new_code: code,
        new_accountid: ids.account,
        new_stage: 'in progress',
        new_startdate: '2026-06-01',
        new_highpriority: true,
        new_hours: 120,
      },
    });
    expectWritten(await get('new_projects', id), {
      new_name: name,
      new_stage: 100000001,
      new_startdate: '2026-06-01',
      new_highpriority: true,
      new_hours: 120,
      _new_accountid_value: ids.account,
    });
    const found = await run<{ records: DataverseRecord[] }>('dynamics.new_project.retrieve', {
      conditions: {
        match: 'all',
        conditions: [
          { field: 'new_stage', operator: 'eq', value: 'In progress' },
          { field: 'new_accountid', operator: 'eq', value: ids.account },
          { field: 'new_code', operator: 'eq', value: code },
        ],
      },
    });
    expect(found.records.map((r) => r.new_projectid)).toEqual([id]);
    await run('dynamics.new_project.update', { match: { by: 'id', id }, fields: { new_stage: 'Done', new_accountid: null } });
    expectWritten(await get('new_projects', id), { new_stage: 100000003, _new_accountid_value: null });
    expect(
      await run('dynamics.new_project.upsert', {
        match: { by: 'alternate_key', key: 'new_projectcodekey' },
        fields: { new_code: code, new_hours: 7 },
      }),
    ).toEqual({ id, outcome: 'updated' });
    expect((await get('new_projects', id))?.new_hours).toBe(7);
    expect(await run('dynamics.new_project.delete', { match: { by: 'id', id } })).toEqual({ deleted: 1, ids: [id] });
  });
});
