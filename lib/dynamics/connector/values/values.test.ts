import { describe, expect, it } from 'vitest';
import { column, contact, directory } from '../../../../test/fixtures/tables';
import { ActionError } from '../errors';
import { resolveBoolean, resolveChoice, resolveChoices } from './choice-value';
import { lookupBind } from './lookup-bind';
import { toRecord } from './to-record';

const id = '00aa00aa-bb11-cc22-dd33-44ee44ee44ee';

describe('choice labels', () => {
  it('accepts labels case-insensitively, values and numeric strings; writes values', () => {
    const c = column('new_preferredchannel');
    expect(resolveChoice(c, 'phone')).toBe(100000001);
    expect(resolveChoice(c, '  TEXT MESSAGE ')).toBe(100000002);
    expect(resolveChoice(c, 100000000)).toBe(100000000);
    expect(resolveChoice(c, '100000001')).toBe(100000001);
  });

  it('names the column and the allowed labels for an unknown label or value', () => {
    const c = column('new_preferredchannel');
    expect(() => resolveChoice(c, 'Fax')).toThrow(
      '"Fax" is not a choice of Preferred Channel (new_preferredchannel). Allowed: "Email" (100000000), "Phone" (100000001), "Text message" (100000002).',
    );
    expect(() => resolveChoice(c, 7)).toThrow(/7 is not a value of Preferred Channel/);
    try {
      resolveChoice(c, 'Fax');
    } catch (err) {
      expect(err).toBeInstanceOf(ActionError);
      expect((err as ActionError).code).toBe('unknown_choice');
    }
  });

  it('multi-choices accept lists or comma-separated labels', () => {
    const c = { ...column('gendercode'), type: 'multichoice' as const };
    expect(resolveChoices(c, 'male, Female')).toEqual([1, 2]);
    expect(resolveChoices(c, [2, 'male', 2])).toEqual([2, 1]);
  });

  it('booleans accept true/false, yes/no, 0/1 and the column labels', () => {
    const c = column('donotemail');
    expect([true, 'yes', 1, 'Do Not Allow'].map((v) => resolveBoolean(c, v))).toEqual([true, true, true, true]);
    expect([false, 'No', 0, 'allow'].map((v) => resolveBoolean(c, v))).toEqual([false, false, false, false]);
    expect(() => resolveBoolean(c, 'maybe')).toThrow(/"maybe" is not a value of Do not allow Emails/);
  });
});

describe('lookup binds', () => {
  it('uses the navigation property of the chosen target for polymorphic customer lookups', () => {
    const c = column('parentcustomerid');
    expect(lookupBind(c, { table: 'account', id }, directory)).toEqual(['parentcustomerid_account@odata.bind', `/accounts(${id})`]);
    expect(lookupBind(c, { table: 'contact', id: id.toUpperCase() }, directory)).toEqual([
      'parentcustomerid_contact@odata.bind',
      `/contacts(${id})`,
    ]);
  });

  it('accepts a bare id for a single-target lookup and for owner (one navigation property)', () => {
    expect(lookupBind(column('originatingleadid'), id, directory)).toEqual(['originatingleadid@odata.bind', `/leads(${id})`]);
    expect(lookupBind(column('ownerid'), { table: 'team', id }, directory)).toEqual(['ownerid@odata.bind', `/teams(${id})`]);
    expect(lookupBind(column('ownerid'), id, directory)).toEqual(['ownerid@odata.bind', `/systemusers(${id})`]);
  });

  it('clears with null', () => {
    expect(lookupBind(column('parentcustomerid'), null, directory)).toEqual(['parentcustomerid_account@odata.bind', null]);
  });

  it('refuses a bare id on a polymorphic lookup, a wrong target and a non-GUID', () => {
    expect(() => lookupBind(column('parentcustomerid'), id, directory)).toThrow(/can point to account or contact: say which table/);
    expect(() => lookupBind(column('parentcustomerid'), { table: 'lead', id }, directory)).toThrow(/cannot point to "lead"/);
    expect(() => lookupBind(column('originatingleadid'), "x') or (1 eq 1", directory)).toThrow(/needs a record id/);
  });
});

describe('toRecord', () => {
  it('writes values, binds and date-only dates, and keeps state consistent with status', () => {
    const record = toRecord(
      contact,
      directory,
      {
        lastname: "O'Brien) or (1 eq 1",
        new_preferredchannel: 'Email',
        parentcustomerid: { table: 'account', id },
        birthdate: '1990-04-01',
        statuscode: 'Inactive',
        firstname: null,
      },
      'update',
    );
    expect(record).toEqual({
      lastname: "O'Brien) or (1 eq 1",
      new_preferredchannel: 100000000,
      'parentcustomerid_account@odata.bind': `/accounts(${id})`,
      birthdate: '1990-04-01',
      statuscode: 2,
      statecode: 1,
      firstname: null,
    });
  });

  it('gives statecode its default status and refuses a status of another state', () => {
    expect(toRecord(contact, directory, { statecode: 'Inactive' }, 'update')).toEqual({ statecode: 1, statuscode: 2 });
    expect(() => toRecord(contact, directory, { statecode: 'Active', statuscode: 'Inactive' }, 'update')).toThrow(
      /Status Reason "Inactive" belongs to Status 1, not "Active"/,
    );
  });

  it('does not write statecode on create where it is not valid for create', () => {
    expect(toRecord(contact, directory, { lastname: 'x', statuscode: 1 }, 'create')).toEqual({ lastname: 'x', statuscode: 1 });
  });

  it('refuses columns that do not exist or cannot be written', () => {
    expect(() => toRecord(contact, directory, { nosuch: 1 }, 'create')).toThrow(/Contact has no column "nosuch"/);
    expect(() => toRecord(contact, directory, { fullname: 'x' }, 'create')).toThrow(
      /Full Name \(fullname\) cannot be set when you create a contact/,
    );
  });
});
