/**
 * Assembles a table descriptor: the table's own columns plus the system columns every Dataverse
 * table has: primary key, createdon/modifiedon, createdby/modifiedby, versionnumber (source of
 * @odata.etag), statecode/statuscode, owner columns for user-owned tables, currency columns for
 * tables with money.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata
 */
import { col, lookup, stableGuid } from './columns';
import type { AlternateKeyDef, ChoiceOption, ColumnDef, Row, TableDef } from './types';

export interface TableSpec {
  logicalName: string;
  schemaName?: string;
  entitySetName?: string;
  displayName: string;
  displayCollectionName: string;
  description?: string;
  primaryName: string;
  /** Set when the primary name column is computed (fullname) and declared in `columns`. */
  primaryNameDeclared?: boolean;
  primaryNameLength?: number;
  primaryNameRequired?: 'None' | 'ApplicationRequired' | 'SystemRequired';
  ownership: TableDef['ownership'];
  objectTypeCode: number;
  isCustom?: boolean;
  changeTracking?: boolean;
  currency?: boolean;
  alternateKeys?: Array<{ name: string; displayName: string; columns: string[] }>;
  states: ChoiceOption[];
  statuses: ChoiceOption[];
  /** statecode is not valid for create on some tables (lead, salesorder, invoice). */
  stateValidForCreate?: boolean;
  defaultState?: number;
  columns: (t: string) => ColumnDef[];
  compute?: (row: Row) => void;
}

export function defineTable(spec: TableSpec): TableDef {
  const t = spec.logicalName;
  const entitySetName = spec.entitySetName ?? `${t}s`;
  const pk = `${t}id`;
  const cols: ColumnDef[] = [];
  cols.push(
    col(t, pk, 'uniqueidentifier', spec.displayName, {
      isPrimaryId: true,
      required: 'SystemRequired',
      validForUpdate: false,
      schemaName: spec.isCustom ? `${t}Id` : `${spec.schemaName ?? cap(t)}Id`,
      description: `Unique identifier of the ${spec.displayName.toLowerCase()}.`,
    }),
  );
  if (!spec.primaryNameDeclared) {
    cols.push(
      col(t, spec.primaryName, 'string', spec.isCustom ? 'Name' : 'Name', {
        maxLength: spec.primaryNameLength ?? 100,
        required: spec.primaryNameRequired ?? 'ApplicationRequired',
        isPrimaryName: true,
      }),
    );
  }
  cols.push(...spec.columns(t));
  if (spec.currency) {
    cols.push(
      lookup(t, 'transactioncurrencyid', 'Currency', 'transactioncurrency', `transactioncurrency_${t}`, {
        schemaName: 'TransactionCurrencyId',
      }),
      col(t, 'exchangerate', 'decimal', 'Exchange Rate', {
        precision: 10,
        minValue: 0,
        maxValue: 100000000000,
        validForCreate: false,
        validForUpdate: false,
      }),
    );
  }
  if (spec.ownership === 'UserOwned') {
    cols.push(
      col(t, 'ownerid', 'owner', 'Owner', {
        required: 'SystemRequired',
        schemaName: 'OwnerId',
        targets: [{ table: 'systemuser', navigation: 'ownerid', relationship: `owner_${entitySetName}` }],
      }),
      lookup(t, 'owninguser', 'Owning User', 'systemuser', `user_${entitySetName}`, {
        validForCreate: false,
        validForUpdate: false,
        schemaName: 'OwningUser',
      }),
      lookup(t, 'owningbusinessunit', 'Owning Business Unit', 'businessunit', `business_unit_${entitySetName}`, {
        validForCreate: false,
        validForUpdate: false,
        schemaName: 'OwningBusinessUnit',
      }),
    );
  }
  cols.push(
    col(t, 'statecode', 'state', 'Status', {
      options: spec.states,
      optionSetName: `${t}_statecode`,
      required: 'SystemRequired',
      validForCreate: spec.stateValidForCreate ?? true,
      schemaName: 'StateCode',
    }),
    col(t, 'statuscode', 'status', 'Status Reason', { options: spec.statuses, optionSetName: `${t}_statuscode`, schemaName: 'StatusCode' }),
    col(t, 'createdon', 'datetime', 'Created On', { validForCreate: false, validForUpdate: false, schemaName: 'CreatedOn' }),
    col(t, 'modifiedon', 'datetime', 'Modified On', { validForCreate: false, validForUpdate: false, schemaName: 'ModifiedOn' }),
    lookup(t, 'createdby', 'Created By', 'systemuser', `lk_${t}base_createdby`, {
      validForCreate: false,
      validForUpdate: false,
      schemaName: 'CreatedBy',
    }),
    lookup(t, 'modifiedby', 'Modified By', 'systemuser', `lk_${t}base_modifiedby`, {
      validForCreate: false,
      validForUpdate: false,
      schemaName: 'ModifiedBy',
    }),
    col(t, 'versionnumber', 'bigint', 'Version Number', { validForCreate: false, validForUpdate: false, schemaName: 'VersionNumber' }),
    col(t, 'overriddencreatedon', 'datetime', 'Record Created On', {
      validForUpdate: false,
      dateOnly: true,
      schemaName: 'OverriddenCreatedOn',
    }),
    col(t, 'importsequencenumber', 'integer', 'Import Sequence Number', {
      validForUpdate: false,
      minValue: -2147483648,
      maxValue: 2147483647,
      schemaName: 'ImportSequenceNumber',
    }),
  );
  const alternateKeys: AlternateKeyDef[] = (spec.alternateKeys ?? []).map((k) => ({
    schemaName: k.name,
    logicalName: k.name.toLowerCase(),
    displayName: k.displayName,
    columns: k.columns,
  }));
  return {
    logicalName: t,
    schemaName: spec.schemaName ?? cap(t),
    entitySetName,
    collectionSchemaName: spec.isCustom ? `${spec.schemaName ?? t}s` : `${cap(entitySetName)}`,
    primaryId: pk,
    primaryName: spec.primaryName,
    displayName: spec.displayName,
    displayCollectionName: spec.displayCollectionName,
    description: spec.description ?? '',
    ownership: spec.ownership,
    objectTypeCode: spec.objectTypeCode,
    isCustom: spec.isCustom ?? false,
    changeTracking: spec.changeTracking ?? true,
    alternateKeys,
    columns: cols,
    metadataId: stableGuid('entity', t),
    compute: spec.compute,
  };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const activeInactive = {
  states: [
    { value: 0, label: 'Active', defaultStatus: 1, invariantName: 'Active' },
    { value: 1, label: 'Inactive', defaultStatus: 2, invariantName: 'Inactive' },
  ],
  statuses: [
    { value: 1, label: 'Active', state: 0 },
    { value: 2, label: 'Inactive', state: 1 },
  ],
};
