/**
 * The compiled schema: fast lookups derived once from the declarative table descriptors
 * (columns by name, `_x_value` lookup properties, single- and collection-valued navigation
 * properties, relationships). Lookup properties are read-only `_<name>_value` GUIDs and the writable
 * side is the navigation property, bound with `<nav>@odata.bind`.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-properties
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-navigation-properties
 */
import { allTables } from '../tables';
import { stableGuid } from '../tables/columns';
import type { ColumnDef, ManyToManyDef, TableDef } from '../tables/types';

export interface NavSingle {
  name: string;
  column: ColumnDef;
  target: string;
  relationship: string;
}

export interface NavCollection {
  name: string;
  referencingTable: string;
  column: ColumnDef;
  relationship: string;
}

/** A many-to-many relationship with its intersect table (RelationshipDefinitions' ManyToManyRelationshipMetadata). */
export interface ManyToManyRelationship extends ManyToManyDef {
  intersect: string;
  metadataId: string;
  isCustom: boolean;
}

/** One side's collection-valued navigation property of a many-to-many relationship. */
export interface NavManyToMany {
  name: string;
  relationship: ManyToManyRelationship;
  /** the table on the other side */
  target: string;
  /** this side's id column on the intersect table */
  selfAttribute: string;
  /** the other side's id column on the intersect table */
  targetAttribute: string;
}

export interface Relationship {
  schemaName: string;
  referencedEntity: string;
  referencedAttribute: string;
  referencingEntity: string;
  referencingAttribute: string;
  referencedNavigation: string;
  referencingNavigation: string;
  isCustom: boolean;
  metadataId: string;
}

export interface TableInfo {
  def: TableDef;
  name: string;
  columns: Map<string, ColumnDef>;
  /** `_primarycontactid_value` → column */
  lookupProps: Map<string, ColumnDef>;
  navSingle: Map<string, NavSingle>;
  navCollection: Map<string, NavCollection>;
  /** many-to-many navigation properties (rows related through an intersect table) */
  navManyToMany: Map<string, NavManyToMany>;
  /** property names in serialization order when no $select is given */
  allProps: string[];
  /** property name (as in JSON) → column */
  propColumns: Map<string, ColumnDef>;
  hasMoney: boolean;
}

export interface Schema {
  tables: Map<string, TableInfo>;
  bySet: Map<string, TableInfo>;
  relationships: Relationship[];
  manyToMany: ManyToManyRelationship[];
}

export const lookupProp = (column: string): string => `_${column}_value`;

export function isLookupKind(c: ColumnDef): boolean {
  return c.kind === 'lookup' || c.kind === 'customer' || c.kind === 'owner';
}

/** Compiled once per table list: each organization profile has its own (see profiles/). */
const compiled = new WeakMap<readonly TableDef[], Schema>();

/** The first (default) organization's schema. Request paths use their store's own schema (`store.schema`). */
export function getSchema(): Schema {
  return schemaOf(allTables);
}

export function schemaOf(defs: readonly TableDef[]): Schema {
  const hit = compiled.get(defs);
  if (hit) return hit;
  const tables = new Map<string, TableInfo>();
  const bySet = new Map<string, TableInfo>();
  for (const def of defs) {
    const info: TableInfo = {
      def,
      name: def.logicalName,
      columns: new Map(),
      lookupProps: new Map(),
      navSingle: new Map(),
      navCollection: new Map(),
      navManyToMany: new Map(),
      allProps: [],
      propColumns: new Map(),
      hasMoney: false,
    };
    for (const c of def.columns) {
      info.columns.set(c.name, c);
      if (c.kind === 'money') info.hasMoney = true;
      if (isLookupKind(c)) {
        const p = lookupProp(c.name);
        info.lookupProps.set(p, c);
        info.propColumns.set(p, c);
        info.allProps.push(p);
        for (const t of c.targets ?? []) {
          info.navSingle.set(t.navigation, { name: t.navigation, column: c, target: t.table, relationship: t.relationship });
        }
      } else {
        info.propColumns.set(c.name, c);
        info.allProps.push(c.name);
      }
    }
    tables.set(def.logicalName, info);
    bySet.set(def.entitySetName, info);
  }
  const relationships: Relationship[] = [];
  for (const info of tables.values()) {
    for (const nav of info.navSingle.values()) {
      const target = tables.get(nav.target);
      if (!target) continue;
      target.navCollection.set(nav.relationship, {
        name: nav.relationship,
        referencingTable: info.name,
        column: nav.column,
        relationship: nav.relationship,
      });
      relationships.push({
        schemaName: nav.relationship,
        referencedEntity: target.name,
        referencedAttribute: target.def.primaryId,
        referencingEntity: info.name,
        referencingAttribute: nav.column.name,
        referencedNavigation: nav.relationship,
        referencingNavigation: nav.name,
        isCustom: nav.column.isCustom === true,
        metadataId: stableGuid('relationship', nav.relationship),
      });
    }
  }
  const manyToMany: ManyToManyRelationship[] = [];
  for (const info of tables.values()) {
    const def = info.def.intersect;
    const one = def ? tables.get(def.entity1) : undefined;
    const two = def ? tables.get(def.entity2) : undefined;
    if (!def || !one || !two) continue;
    const rel: ManyToManyRelationship = {
      ...def,
      intersect: info.name,
      metadataId: stableGuid('relationship', def.schemaName),
      isCustom: info.def.isCustom,
    };
    manyToMany.push(rel);
    one.navManyToMany.set(def.entity1Navigation, {
      name: def.entity1Navigation,
      relationship: rel,
      target: two.name,
      selfAttribute: def.entity1Attribute,
      targetAttribute: def.entity2Attribute,
    });
    two.navManyToMany.set(def.entity2Navigation, {
      name: def.entity2Navigation,
      relationship: rel,
      target: one.name,
      selfAttribute: def.entity2Attribute,
      targetAttribute: def.entity1Attribute,
    });
  }
  const schema: Schema = { tables, bySet, relationships, manyToMany };
  compiled.set(defs, schema);
  return schema;
}
