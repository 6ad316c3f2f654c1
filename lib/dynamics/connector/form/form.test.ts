import { describe, expect, it } from 'vitest';
import { createRecord } from '../actions/create-record';
import { deleteRecord } from '../actions/delete-record';
import { retrieveRecords } from '../actions/retrieve-records';
import { updateRecord } from '../actions/update-record';
import { upsertRecord } from '../actions/upsert-record';
import { column, contact, directory } from '../../../../test/fixtures/tables';
import { describeForm, type FormField } from '../../../forms/describe-form';

const id = '00aa00aa-bb11-cc22-dd33-44ee44ee44ee';
const byName = (fields: FormField[], name: string) => {
  const f = fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${fields.map((x) => x.name).join(', ')}`);
  return f;
};

describe('the create form and its validation come from one schema', () => {
  const schema = createRecord.input(contact, directory);
  const { fields } = describeForm(schema);

  it('offers writable columns with label, widget, type and required flag', () => {
    expect(byName(fields, 'fields.lastname')).toMatchObject({
      label: 'Last Name',
      widget: 'text',
      type: 'string',
      required: true,
      maxLength: 50,
      column: 'lastname',
      requiredLevel: 'ApplicationRequired',
    });
    expect(byName(fields, 'fields.firstname')).toMatchObject({ required: false, requiredLevel: 'Recommended', nullable: true });
    expect(byName(fields, 'fields.birthdate')).toMatchObject({ widget: 'date' });
    expect(byName(fields, 'fields.new_loyaltypoints')).toMatchObject({ widget: 'number', minimum: 0, maximum: 1000000 });
    expect(fields.map((f) => f.name)).not.toContain('fields.fullname');
    expect(fields.map((f) => f.name)).not.toContain('fields.contactid');
    expect(fields.map((f) => f.name)).not.toContain('fields.statecode'); // not valid for create
  });

  it('describes choices with labels and lookups with their target tables', () => {
    expect(byName(fields, 'fields.new_preferredchannel')).toMatchObject({
      widget: 'select',
      type: 'choice',
      choices: [
        { value: 100000000, label: 'Email' },
        { value: 100000001, label: 'Phone' },
        { value: 100000002, label: 'Text message' },
      ],
    });
    expect(byName(fields, 'fields.parentcustomerid')).toMatchObject({
      widget: 'lookup',
      type: 'customer',
      lookupTargets: [
        { table: 'account', displayName: 'Account', entitySetName: 'accounts' },
        { table: 'contact', displayName: 'Contact', entitySetName: 'contacts' },
      ],
    });
  });

  it('validates on the server with precise messages', () => {
    expect(
      schema.safeParse({ fields: { lastname: 'Ng', new_preferredchannel: 'phone', parentcustomerid: { table: 'account', id } } }).success,
    ).toBe(true);
    const bad = schema.safeParse({ fields: { new_preferredchannel: 'Fax', parentcustomerid: id, firstname: 'x'.repeat(51), nosuch: 1 } });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fields\.lastname: /),
        expect.stringMatching(/^fields\.new_preferredchannel: "Fax" is not a choice of Preferred Channel/),
        expect.stringMatching(/^fields\.firstname: At most 50 characters/),
        expect.stringMatching(/^fields: Unrecognized key/),
      ]),
    );
    // A polymorphic lookup needs the table: a bare id is refused by the schema.
    expect(messages.some((m) => m.startsWith('fields.parentcustomerid'))).toBe(true);
  });

  it('differs between two accounts whose metadata differs', () => {
    const other = { ...contact, columns: contact.columns.filter((c) => !c.isCustom) };
    const names = describeForm(createRecord.input(other, directory)).fields.map((f) => f.name);
    expect(names).not.toContain('fields.new_preferredchannel');
    expect(fields.map((f) => f.name)).toContain('fields.new_preferredchannel');
    expect(createRecord.input(other, directory).safeParse({ fields: { lastname: 'x', new_preferredchannel: 1 } }).success).toBe(false);
  });
});

describe('retrieve, update, upsert and delete forms', () => {
  it('retrieve: conditions builder, order, max items with default and ceiling, columns', () => {
    const schema = retrieveRecords.input(contact, directory);
    const { fields } = describeForm(schema);
    expect(byName(fields, 'maxItems')).toMatchObject({ default: 10, minimum: 1, maximum: 5000, required: false });
    expect(byName(fields, 'whenMoreMatch')).toMatchObject({ widget: 'select', default: 'first_n' });
    const conditions = byName(fields, 'conditions');
    expect(conditions.widget).toBe('conditions');
    expect(conditions.conditionFields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column: 'new_preferredchannel', operators: ['eq', 'ne', 'null', 'not_null', 'in'] }),
      ]),
    );
    expect(schema.parse({})).toEqual({ maxItems: 10, whenMoreMatch: 'first_n' });
    expect(schema.safeParse({ maxItems: 5001 }).success).toBe(false);
    expect(
      schema.safeParse({ conditions: { match: 'all', conditions: [{ field: 'lastname', operator: 'last_x_days', value: 3 }] } }).error
        ?.issues[0]?.message,
    ).toMatch(/"last_x_days" cannot be used on Last Name/);
    expect(
      schema.safeParse({ conditions: { match: 'any', conditions: [{ field: "lastname') or (1 eq 1", operator: 'eq', value: 'x' }] } })
        .success,
    ).toBe(false);
  });

  it('retrieve: the advanced FetchXML query is a text area, checked and exclusive of conditions, order and columns', () => {
    const schema = retrieveRecords.input(contact, directory);
    expect(byName(describeForm(schema).fields, 'fetchXml')).toMatchObject({ widget: 'textarea', maxLength: 16_000, required: false });
    const query = `<fetch><entity name='contact'><attribute name='fullname'/></entity></fetch>`;
    expect(schema.safeParse({ fetchXml: query }).success).toBe(true);
    const messages = (input: unknown) => schema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages({ fetchXml: `<fetch><entity name='lead'/></fetch>` })).toEqual([
      "fetchXml: The FetchXML query is on 'lead' but this step retrieves 'contact'.",
    ]);
    expect(messages({ fetchXml: query, columns: ['fullname'] })).toEqual([
      'fetchXml: A FetchXML query replaces the columns: clear those, or clear the query.',
    ]);
  });

  it('update/delete: match by id or conditions with a limit, shown only for the chosen way', () => {
    for (const schema of [updateRecord.input(contact, directory), deleteRecord.input(contact, directory)]) {
      const { fields } = describeForm(schema);
      expect(byName(fields, 'match.by').choices).toEqual([
        { value: 'id', label: 'By record id' },
        { value: 'conditions', label: 'By conditions' },
      ]);
      expect(byName(fields, 'match.maxMatches')).toMatchObject({
        default: 1,
        maximum: 5000,
        visibleWhen: { field: 'match.by', equals: 'conditions' },
      });
      expect(schema.safeParse({ match: { by: 'id' }, fields: {} }).success).toBe(false);
    }
    expect(updateRecord.input(contact, directory).safeParse({ match: { by: 'id', id }, fields: { lastname: null } }).success).toBe(true);
  });

  it('upsert: id, alternate key or conditions, and the mode', () => {
    const schema = upsertRecord.input(contact, directory);
    const { fields } = describeForm(schema);
    expect(byName(fields, 'match.by').choices?.map((c) => c.value)).toEqual(['id', 'alternate_key', 'conditions']);
    expect(byName(fields, 'match.key').choices).toEqual([{ value: 'emailaddresskey', label: 'Email (emailaddress1)' }]);
    expect(byName(fields, 'mode').choices?.map((c) => c.value)).toEqual(['upsert', 'create_only', 'update_only']);
    // Nothing is required in an upsert's fields: the record may exist already.
    expect(fields.filter((f) => f.name.startsWith('fields.') && f.required)).toEqual([]);
    expect(schema.safeParse({ match: { by: 'alternate_key', key: 'emailaddresskey' }, fields: { emailaddress1: 'a@b.c' } }).success).toBe(
      true,
    );
  });

  it('column types map to widgets', () => {
    expect(column('statuscode').type).toBe('status');
    const { fields } = describeForm(updateRecord.input(contact, directory));
    expect(byName(fields, 'fields.statuscode')).toMatchObject({
      widget: 'select',
      choices: [
        { value: 1, label: 'Active' },
        { value: 2, label: 'Inactive' },
      ],
    });
    // Owner is system-required: it can be reassigned but not cleared.
    const owner = byName(fields, 'fields.ownerid');
    expect(owner).toMatchObject({ widget: 'lookup', type: 'owner' });
    expect(owner.nullable).toBeUndefined();
  });
});
