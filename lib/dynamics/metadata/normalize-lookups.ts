/**
 * Lookup targets with their navigation property names. `Targets` (LookupAttributeMetadata) says
 * which tables a lookup may point to; ManyToOneRelationships say which single-valued navigation
 * property to use for each (ReferencingAttribute + ReferencedEntity →
 * ReferencingEntityNavigationPropertyName). Customer lookups have one navigation property per
 * target (`parentcustomerid_account`, `parentcustomerid_contact`); owner lookups share `ownerid`;
 * custom lookups often use the SchemaName casing (`new_AccountId`), so the name is always read
 * from metadata, never derived from the column name.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties
 */
import { isLogicalName } from './names';
import type { RawAttribute, RawRelationship } from './raw-types';
import type { LookupTarget } from './types';

const NAV_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function lookupTargets(attribute: RawAttribute, relationships: readonly RawRelationship[]): LookupTarget[] {
  const own = relationships.filter(
    (r) =>
      r.ReferencingAttribute === attribute.LogicalName &&
      typeof r.ReferencingEntityNavigationPropertyName === 'string' &&
      NAV_PATTERN.test(r.ReferencingEntityNavigationPropertyName),
  );
  const declared = (attribute.Targets ?? []).filter(isLogicalName);
  const tables = declared.length > 0 ? declared : [...new Set(own.map((r) => r.ReferencedEntity).filter(isLogicalName))];
  // One navigation property for every target (owner lookups: relationships point at `owner`, not
  // at systemuser/team); used when no relationship names the target itself.
  const navs = [...new Set(own.map((r) => r.ReferencingEntityNavigationPropertyName as string))];
  const shared = navs.length === 1 ? navs[0] : undefined;
  const out: LookupTarget[] = [];
  for (const table of tables) {
    const nav = own.find((r) => r.ReferencedEntity === table)?.ReferencingEntityNavigationPropertyName ?? shared;
    if (nav) out.push({ table, navigationProperty: nav });
  }
  return out;
}
