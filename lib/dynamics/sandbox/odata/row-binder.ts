/**
 * Binds `$filter`/`$orderby` property paths to table rows: columns, `_x_value` lookup GUIDs,
 * lookup paths through single-valued navigation properties (`primarycontactid/fullname`) and
 * collection-valued navigation properties for `any`/`all`.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
 */
import { err } from '../errors';
import type { TableInfo } from '../model/schema';
import { isLookupValue, type OrgStore } from '../store';
import type { ColumnDef, Row } from '../tables/types';
import type { Binder, BoundPath, CrmFunctionContext, ValueType } from './filter-types';

export function edmOf(c: ColumnDef): { type: ValueType; edm: string } {
  switch (c.kind) {
    case 'string':
    case 'memo':
      return { type: 'string', edm: 'Edm.String' };
    case 'integer':
    case 'picklist':
    case 'state':
    case 'status':
      return { type: 'number', edm: 'Edm.Int32' };
    case 'bigint':
      return { type: 'number', edm: 'Edm.Int64' };
    case 'decimal':
    case 'money':
      return { type: 'number', edm: 'Edm.Decimal' };
    case 'double':
      return { type: 'number', edm: 'Edm.Double' };
    case 'boolean':
      return { type: 'boolean', edm: 'Edm.Boolean' };
    case 'datetime':
      return c.dateOnly ? { type: 'date', edm: 'Edm.Date' } : { type: 'datetime', edm: 'Edm.DateTimeOffset' };
    default:
      return { type: 'guid', edm: 'Edm.Guid' };
  }
}

export function columnGetter(c: ColumnDef): (row: Row) => unknown {
  const name = c.name;
  if (c.kind === 'lookup' || c.kind === 'customer' || c.kind === 'owner') {
    return (row) => {
      const v = row[name];
      return isLookupValue(v) ? v.id : null;
    };
  }
  return (row) => row[name] ?? null;
}

export class RowBinder implements Binder {
  constructor(
    private readonly info: TableInfo,
    private readonly store: OrgStore,
    readonly crm: CrmFunctionContext,
  ) {}

  property(name: string): BoundPath {
    return this.path([name]);
  }

  path(segments: string[]): BoundPath {
    const [first, ...rest] = segments;
    if (first === undefined) throw err.propertyNotFound('', this.info.name);
    if (rest.length === 0) {
      const c = this.info.propColumns.get(first) ?? this.info.navSingle.get(first)?.column;
      if (!c) throw err.propertyNotFound(first, this.info.name);
      const row = columnGetter(c);
      return { get: (r) => row(r as Row), ...edmOf(c) };
    }
    const nav = this.info.navSingle.get(first);
    if (!nav) throw err.propertyNotFound(first, this.info.name);
    const target = this.store.schema.tables.get(nav.target);
    if (!target) throw err.propertyNotFound(first, this.info.name);
    const inner = new RowBinder(target, this.store, this.crm).path(rest);
    const col = nav.column.name;
    const targetTable = nav.target;
    return {
      ...inner,
      get: (r) => {
        const v = (r as Row)[col];
        if (!isLookupValue(v) || v.table !== targetTable) return null;
        const related = this.store.get(targetTable, v.id);
        return related ? inner.get(related) : null;
      },
    };
  }

  collection(segments: string[]): { items: (row: unknown) => unknown[]; itemBinder: Binder } {
    const [first] = segments;
    const nav = first === undefined ? undefined : this.info.navCollection.get(first);
    if (!nav || segments.length !== 1) throw err.propertyNotFound(first ?? '', this.info.name);
    const child = this.store.schema.tables.get(nav.referencingTable);
    if (!child) throw err.propertyNotFound(first ?? '', this.info.name);
    const pk = this.info.def.primaryId;
    const col = nav.column.name;
    const childTable = child.name;
    return {
      itemBinder: new RowBinder(child, this.store, this.crm),
      items: (row) => {
        const id = (row as Row)[pk];
        const out: Row[] = [];
        for (const c of this.store.rows(childTable)) {
          const v = c[col];
          if (isLookupValue(v) && v.id === id) out.push(c);
        }
        return out;
      },
    };
  }
}
