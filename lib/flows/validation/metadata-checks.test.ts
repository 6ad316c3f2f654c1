import { describe, expect, it } from 'vitest';
import type { TableSchema } from '@/lib/dynamics/metadata/types';
import { contact, directory } from '@/test/fixtures/tables';
import type { FlowNode } from '../model/schema';
import type { AccountMetadata, FlowMetadata } from './flow-metadata';
import { metadataProblems } from './metadata-checks';

const GUID = '00aa00aa-bb11-cc22-dd33-44ee44ee44ee';
// The fixture's contact with change tracking off, as a second table of the account.
const untracked: TableSchema = {
  ...contact,
  logicalName: 'new_untracked',
  entitySetName: 'new_untrackeds',
  displayName: 'Untracked',
  changeTrackingEnabled: false,
};

const ok: AccountMetadata = {
  status: 'ok',
  name: 'Sales',
  directory: { tables: [...directory.tables, untracked] },
  tables: new Map<string, TableSchema | { error: string }>([
    ['contact', contact],
    ['new_untracked', untracked],
    ['lead', { error: 'HTTP 503: the service is busy' }],
  ]),
};
const metadata: FlowMetadata = new Map<string, AccountMetadata>([
  ['acc', ok],
  ['gone', { status: 'missing' }],
  ['stale', { status: 'needs_reconnect', name: 'Old org', reason: 'the refresh token was revoked' }],
  ['down', { status: 'unreachable', message: 'Dynamics did not answer (HTTP 502)' }],
]);

const node = (type: string, inputs: Record<string, unknown>, accountId = 'acc'): FlowNode =>
  ({ id: 'n1', type, typeVersion: 1, position: { x: 0, y: 0 }, params: { accountId, inputs } }) as FlowNode;
const check = (type: string, inputs: Record<string, unknown>, accountId = 'acc') =>
  metadataProblems({ nodes: [node(type, inputs, accountId)] }, metadata);
const codes = (type: string, inputs: Record<string, unknown>) => check(type, inputs).map((p) => `${p.code} ${p.field}`);
const create = (fields: Record<string, unknown>) => codes('dynamics.contact.create', { fields: { lastname: 'Ng', ...fields } });

describe('accounts and tables', () => {
  it('names the account problem once per step, at its account', () => {
    expect(check('dynamics.contact.create', { fields: {} }, 'gone')).toEqual([
      expect.objectContaining({ nodeId: 'n1', field: 'params.accountId', code: 'account_missing' }),
    ]);
    const stale = check('dynamics.contact.create', {}, 'stale');
    expect(stale.map((p) => p.code)).toEqual(['account_needs_reconnect']);
    expect(stale[0]!.message).toContain('the refresh token was revoked');
    const down = check('dynamics.contact.new', {}, 'down');
    expect(down.map((p) => p.code)).toEqual(['account_unreachable']);
    expect(down[0]!.message).toContain('HTTP 502');
  });

  it('refuses a table the account does not have, and reports a table that could not be read', () => {
    expect(codes('dynamics.new_nothere.create', { fields: {} })).toEqual(['unknown_table type']);
    expect(codes('dynamics.lead.retrieve', {})).toEqual(['account_unreachable params.accountId']);
  });

  it('skips steps that are not Dynamics steps or whose account was not loaded', () => {
    const log = { id: 'l', type: 'toolbox.log', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: { message: 1 } } } as FlowNode;
    expect(metadataProblems({ nodes: [log, node('dynamics.contact.create', {}, 'unknown-acc')] }, metadata)).toEqual([]);
  });
});

describe('create, update and upsert fields', () => {
  it('accepts literal values that fit, choice labels in any case, choice values and lookups', () => {
    expect(
      create({
        firstname: 'Ada',
        new_loyaltypoints: 10,
        annualincome: 1200.5,
        gendercode: 'female',
        new_preferredchannel: 100000001,
        donotemail: 'Do Not Allow',
        parentcustomerid: { table: 'account', id: GUID },
        originatingleadid: GUID,
        emailaddress1: null,
      }),
    ).toEqual([]);
  });

  it('asks for required columns on create only', () => {
    expect(codes('dynamics.contact.create', { fields: { firstname: 'Ada' } })).toEqual(['required_column params.inputs.fields.lastname']);
    expect(check('dynamics.contact.create', { fields: {} })[0]!.message).toBe('Last Name (lastname) is required to create a contact.');
    expect(codes('dynamics.contact.update', { match: { by: 'id', id: GUID }, fields: { firstname: 'Ada' } })).toEqual([]);
  });

  it('names unknown and read-only columns', () => {
    expect(create({ nosuch: 1, fullname: 'A B', contactid: GUID })).toEqual([
      'unknown_column params.inputs.fields.nosuch',
      'read_only_column params.inputs.fields.fullname',
      'read_only_column params.inputs.fields.contactid',
    ]);
    expect(
      codes('dynamics.contact.update', {
        match: { by: 'id', id: GUID },
        fields: { statecode: 'Inactive', modifiedon: '2026-01-01T00:00:00Z' },
      }),
    ).toEqual(['read_only_column params.inputs.fields.modifiedon']);
  });

  it('refuses literal values that do not fit the column type, in plain words', () => {
    expect(
      create({ new_loyaltypoints: 'lots', annualincome: -5, birthdate: '31/05/2026', firstname: 'x'.repeat(51), emailaddress1: 42 }).sort(),
    ).toEqual([
      'value_type params.inputs.fields.annualincome',
      'value_type params.inputs.fields.birthdate',
      'value_type params.inputs.fields.emailaddress1',
      'value_type params.inputs.fields.firstname',
      'value_type params.inputs.fields.new_loyaltypoints',
    ]);
    const [points] = check('dynamics.contact.create', { fields: { lastname: 'Ng', new_loyaltypoints: 2_000_000 } });
    expect(check('dynamics.contact.create', { fields: { lastname: 'x'.repeat(60) } })[0]!.message).toBe(
      'Last Name (lastname) takes text of at most 50 characters; this text has 60.',
    );
    expect(points!.message).toBe('Loyalty Points (new_loyaltypoints) takes a whole number from 0 to 1,000,000; 2000000 does not fit.');
    expect(check('dynamics.contact.create', { fields: { lastname: 'Ng', new_loyaltypoints: 1.5 } }).map((p) => p.code)).toEqual([
      'value_type',
    ]);
  });

  it('refuses clearing a system-required column', () => {
    const problems = check('dynamics.contact.update', { match: { by: 'id', id: GUID }, fields: { ownerid: null } });
    expect(problems.map((p) => p.code)).toEqual(['value_type']);
    expect(problems[0]!.message).toContain('cannot be cleared');
  });

  it('refuses choices that are not options, listing the valid labels', () => {
    const problems = check('dynamics.contact.create', {
      fields: { lastname: 'Ng', gendercode: 'Other', new_preferredchannel: 7, donotemail: 'maybe' },
    });
    const byField = (f: string) => problems.find((p) => p.field === `params.inputs.fields.${f}`);
    expect(problems.map((p) => `${p.code} ${p.field}`).sort()).toEqual([
      'unknown_choice params.inputs.fields.donotemail',
      'unknown_choice params.inputs.fields.gendercode',
      'unknown_choice params.inputs.fields.new_preferredchannel',
    ]);
    expect(byField('gendercode')!.message).toContain('"Male" (1), "Female" (2)');
    expect(byField('new_preferredchannel')!.message).toContain('"Text message"');
  });

  it('refuses lookups to a table the lookup does not allow', () => {
    const problems = check('dynamics.contact.create', {
      fields: { lastname: 'Ng', parentcustomerid: { table: 'lead', id: GUID }, originatingleadid: { table: 'account', id: GUID } },
    });
    expect(problems.map((p) => `${p.code} ${p.field}`).sort()).toEqual([
      'lookup_target params.inputs.fields.originatingleadid.table',
      'lookup_target params.inputs.fields.parentcustomerid.table',
    ]);
    expect(problems.find((p) => p.field?.startsWith('params.inputs.fields.parentcustomerid'))!.message).toBe(
      'Company Name (parentcustomerid) can point to account or contact only, not to "lead".',
    );
    // Two possible tables: a bare id does not say which.
    expect(create({ parentcustomerid: GUID })).toEqual(['value_type params.inputs.fields.parentcustomerid']);
    expect(create({ originatingleadid: 'not-a-guid' })).toEqual(['value_type params.inputs.fields.originatingleadid']);
  });

  it('leaves expressions and references to the run, wherever they are', () => {
    expect(
      create({
        new_loyaltypoints: { expr: '$steps.a.output.points' },
        gendercode: { ref: { step: 'a', path: 'output.g' } },
        parentcustomerid: { table: 'account', id: { expr: '$steps.a.output.id' } },
        originatingleadid: { table: 'lead', id: { ref: { step: 'a' } } },
      }),
    ).toEqual([]);
    expect(codes('dynamics.contact.create', { fields: { expr: '$steps.a.output' } })).toEqual([]);
    // The column must exist even when its value is an expression.
    expect(create({ nosuch: { expr: '1' } })).toEqual(['unknown_column params.inputs.fields.nosuch']);
  });

  it('reads { literal } as the value it wraps', () => {
    expect(create({ firstname: { literal: 5 } })).toEqual(['value_type params.inputs.fields.firstname']);
    expect(create({ firstname: { literal: 'Ada' } })).toEqual([]);
  });

  it('checks how an update or upsert finds its record', () => {
    expect(codes('dynamics.contact.update', { match: { by: 'id', id: 'abc' }, fields: {} })).toEqual(['value_type params.inputs.match.id']);
    expect(codes('dynamics.contact.update', { match: { by: 'id', id: { expr: '$x' } }, fields: {} })).toEqual([]);
    expect(codes('dynamics.contact.upsert', { match: { by: 'alternate_key', key: 'nokey' }, fields: { emailaddress1: 'a@b.c' } })).toEqual([
      'unknown_key params.inputs.match.key',
    ]);
    expect(
      codes('dynamics.contact.upsert', { match: { by: 'alternate_key', key: 'emailaddresskey' }, fields: { emailaddress1: 'a@b.c' } }),
    ).toEqual([]);
    expect(
      codes('dynamics.contact.upsert', {
        match: { by: 'alternate_key', key: 'emailaddresskey' },
        fields: { emailaddress1: { expr: '$e' } },
      }),
    ).toEqual([]);
    expect(
      codes('dynamics.contact.upsert', { match: { by: 'alternate_key', key: 'emailaddresskey' }, fields: { firstname: 'Ana' } }),
    ).toEqual(['required_column params.inputs.fields.emailaddress1']);
    expect(codes('dynamics.contact.update', { match: { by: 'id' }, fields: {} })).toEqual(['invalid_input params.inputs.match.id']);
    expect(codes('dynamics.contact.update', { match: { by: 'id', id: GUID }, fields: {}, extra: 1 })).toEqual([
      'invalid_input params.inputs.extra',
    ]);
  });
});

describe('conditions of Retrieve, Update, Delete and Update or create', () => {
  const retrieve = (conditions: unknown, extra: Record<string, unknown> = {}) =>
    codes('dynamics.contact.retrieve', { conditions, ...extra });

  it('accepts conditions that suit their columns, nested groups and expressions as values', () => {
    expect(
      retrieve({
        match: 'all',
        conditions: [
          { field: 'gendercode', operator: 'eq', value: 'Female' },
          { field: 'lastname', operator: 'startswith', value: { expr: '$steps.a.output.prefix' } },
          {
            match: 'any',
            conditions: [
              { field: 'new_loyaltypoints', operator: 'gt', value: 10 },
              { field: 'emailaddress1', operator: 'null' },
            ],
          },
        ],
      }),
    ).toEqual([]);
  });

  it('names each wrong condition: unknown column, unsuitable operator, a value that does not fit', () => {
    const problems = check('dynamics.contact.retrieve', {
      conditions: {
        match: 'all',
        conditions: [
          { field: 'nosuch', operator: 'eq', value: 1 },
          { field: 'gendercode', operator: 'contains', value: 'Fe' },
          { field: 'gendercode', operator: 'eq', value: 'Other' },
          { match: 'any', conditions: [{ field: 'new_loyaltypoints', operator: 'gt', value: 'ten' }] },
          { field: 'birthdate', operator: 'on', value: 'yesterday' },
        ],
      },
    });
    expect(problems.map((p) => `${p.code} ${p.field}`)).toEqual([
      'unknown_column params.inputs.conditions.conditions.0.field',
      'operator_unsuitable params.inputs.conditions.conditions.1.operator',
      'unknown_choice params.inputs.conditions.conditions.2.value',
      'value_type params.inputs.conditions.conditions.3.conditions.0.value',
      'value_type params.inputs.conditions.conditions.4.value',
    ]);
    expect(problems[1]!.message).toBe(
      '"contains" cannot test Gender (gendercode), a choice column; use one of: eq, ne, null, not_null, in.',
    );
    expect(problems[4]!.message).toBe('Birthday on: expected a date like 2026-05-31 or 2026-05-31T09:30:00Z, got "yesterday".');
    expect(problems[2]!.message).toContain('"Male" (1), "Female" (2)');
  });

  it('checks the conditions of update, delete and upsert under match', () => {
    const bad = { match: 'all', conditions: [{ field: 'nosuch', operator: 'eq', value: 1 }] };
    for (const action of ['update', 'delete', 'upsert']) {
      expect(
        codes(`dynamics.contact.${action}`, { match: { by: 'conditions', conditions: bad }, fields: {} }).filter(
          (c) => !c.includes('fields'),
        ),
      ).toContain('unknown_column params.inputs.match.conditions.conditions.0.field');
    }
    expect(
      codes('dynamics.contact.delete', {
        match: { by: 'conditions', conditions: { match: 'all', conditions: [{ field: 'lastname', operator: 'eq', value: 'Ng' }] } },
      }),
    ).toEqual([]);
  });

  it('refuses conditions that are not a group', () => {
    expect(retrieve({ conditions: [] })).toEqual(['invalid_input params.inputs.conditions']);
  });

  it('checks order and returned columns against the readable columns', () => {
    expect(retrieve(undefined, { orderBy: [{ field: 'nosuch' }], columns: ['lastname', 'entityimage2'] })).toEqual([
      'unknown_column params.inputs.orderBy.0.field',
      'unknown_column params.inputs.columns.1',
    ]);
    expect(retrieve(undefined, { orderBy: [{ field: 'modifiedon', direction: 'desc' }], columns: ['fullname'], maxItems: 50 })).toEqual([]);
    expect(retrieve(undefined, { maxItems: 0 })).toEqual(['invalid_input params.inputs.maxItems']);
    expect(check('dynamics.contact.retrieve', { maxItems: 99_999 })[0]!.message).toBe('The "maxItems" setting is at most 5,000.');
    expect(check('dynamics.contact.retrieve', { whenMoreMatch: 'all' })[0]!.message).toBe(
      'The "whenMoreMatch" setting is one of "first_n", "error".',
    );
  });
});

describe('Dynamics event triggers', () => {
  const event = (type: string, inputs: Record<string, unknown>) => codes(type, { intervalSeconds: 300, ...inputs });

  it('accepts columns and conditions that exist and suit their columns', () => {
    expect(
      event('dynamics.contact.new_or_updated', {
        columns: ['lastname', 'gendercode'],
        conditions: {
          match: 'all',
          rules: [
            { left: { column: 'gendercode' }, operator: 'eq', right: 'Female' },
            { left: { column: 'lastname' }, operator: 'starts_with', right: { expr: '"N"' } },
            { left: { column: 'emailaddress1' }, operator: 'is_empty' },
          ],
        },
      }),
    ).toEqual([]);
  });

  it('names unknown columns, unsuitable operators and values that do not fit', () => {
    const problems = check('dynamics.contact.updated', {
      intervalSeconds: 300,
      columns: ['lastname', 'nosuch'],
      conditions: {
        match: 'any',
        rules: [
          { left: { column: 'nosuch' }, operator: 'eq', right: 1 },
          { left: { column: 'new_loyaltypoints' }, operator: 'starts_with', right: '1' },
          { left: { column: 'gendercode' }, operator: 'eq', right: 'Other' },
          { left: { column: 'new_loyaltypoints' }, operator: 'gt', right: { literal: 'many' } },
        ],
      },
    });
    expect(problems.map((p) => `${p.code} ${p.field}`)).toEqual([
      'unknown_column params.inputs.columns.1',
      'unknown_column params.inputs.conditions.rules.0.left.column',
      'operator_unsuitable params.inputs.conditions.rules.1.operator',
      'unknown_choice params.inputs.conditions.rules.2.right',
      'value_type params.inputs.conditions.rules.3.right',
    ]);
    expect(problems[2]!.message).toBe(
      '"starts_with" cannot test Loyalty Points (new_loyaltypoints), an integer column; use one of: eq, ne, gt, ge, lt, le, is_empty, is_not_empty.',
    );
  });

  it('requires change tracking for Deleted only', () => {
    expect(event('dynamics.new_untracked.deleted', {})).toEqual(['change_tracking_required type']);
    expect(event('dynamics.contact.deleted', {})).toEqual([]);
    expect(event('dynamics.new_untracked.new', {})).toEqual([]);
  });
});
