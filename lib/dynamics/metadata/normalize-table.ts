/**
 * EntityDefinitions item → TableSummary, or null when the table cannot be used through the Web API:
 * no EntitySetName (not exposed), intersect tables of many-to-many relationships (written only via
 * associate/disassociate), private and logical (platform-internal) tables, or names that are not
 * plain logical names and therefore could never be put safely into a URL.
 */
import { isLogicalName } from './names';
import { pickLabel } from './labels';
import type { RawEntityDefinition } from './raw-types';
import type { Ownership, TableSummary } from './types';

const ownerships: readonly Ownership[] = ['UserOwned', 'OrganizationOwned', 'BusinessOwned', 'None'];
// The client only ever addresses names matching its OData name rule (`^[a-z_][a-z0-9_]*$`): a table whose
// entity set does not is left out rather than listed with actions that could never run.
const ENTITY_SET_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** @example isUsableTable({ LogicalName: 'account', EntitySetName: 'accounts', PrimaryIdAttribute: 'accountid' }) // true */
export function isUsableTable(raw: RawEntityDefinition): boolean {
  return (
    isLogicalName(raw.LogicalName) &&
    typeof raw.EntitySetName === 'string' &&
    ENTITY_SET_PATTERN.test(raw.EntitySetName) &&
    isLogicalName(raw.PrimaryIdAttribute) &&
    raw.IsIntersect !== true &&
    raw.IsPrivate !== true &&
    raw.IsLogicalEntity !== true
  );
}

/** @example normalizeTableSummary(rawAccount)?.entitySetName // 'accounts' */
export function normalizeTableSummary(raw: RawEntityDefinition): TableSummary | null {
  if (!isUsableTable(raw)) return null;
  const displayName = pickLabel(raw.DisplayName, raw.SchemaName ?? raw.LogicalName);
  const ownership = ownerships.find((o) => o === raw.OwnershipType) ?? 'None';
  return {
    logicalName: raw.LogicalName,
    schemaName: raw.SchemaName ?? raw.LogicalName,
    entitySetName: raw.EntitySetName as string,
    displayName,
    displayCollectionName: pickLabel(raw.DisplayCollectionName, displayName),
    description: pickLabel(raw.Description, ''),
    primaryIdAttribute: raw.PrimaryIdAttribute as string,
    primaryNameAttribute: isLogicalName(raw.PrimaryNameAttribute) ? raw.PrimaryNameAttribute : null,
    isCustom: raw.IsCustomEntity === true,
    ownership,
    changeTrackingEnabled: raw.ChangeTrackingEnabled === true,
  };
}

/** Usable tables only, sorted by logical name (stable output for caching and drift comparison). */
export function normalizeTableList(raw: readonly RawEntityDefinition[]): TableSummary[] {
  return raw
    .map(normalizeTableSummary)
    .filter((t): t is TableSummary => t !== null)
    .sort((a, b) => a.logicalName.localeCompare(b.logicalName));
}
