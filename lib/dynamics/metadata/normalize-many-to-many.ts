/**
 * Pure: ManyToManyRelationshipMetadata → the relationships as seen from one table: the other table
 * and this side's navigation property (Entity1… when the table is Entity1, else Entity2…). A
 * relationship whose names are not safe to put in a URL is left out, never sent.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#querying-relationship-definitions
 */
import { isLogicalName } from './names';
import type { RawManyToMany } from './raw-types';
import type { ManyToManyRelationship } from './types';

const NAVIGATION = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** @example normalizeManyToMany('lead', raw).map((r) => r.navigationProperty) // ['accountleads_association', …] */
export function normalizeManyToMany(table: string, raw: RawManyToMany[]): ManyToManyRelationship[] {
  const out: ManyToManyRelationship[] = [];
  for (const r of raw) {
    const first = r.Entity1LogicalName === table;
    if (!first && r.Entity2LogicalName !== table) continue;
    const relatedTable = first ? r.Entity2LogicalName : r.Entity1LogicalName;
    const navigationProperty = (first ? r.Entity1NavigationPropertyName : r.Entity2NavigationPropertyName) ?? '';
    if (!isLogicalName(relatedTable) || !NAVIGATION.test(navigationProperty) || !NAVIGATION.test(r.SchemaName)) continue;
    out.push({ schemaName: r.SchemaName, relatedTable, navigationProperty, intersectTable: r.IntersectEntityName });
  }
  return out.sort((a, b) => a.schemaName.localeCompare(b.schemaName));
}
