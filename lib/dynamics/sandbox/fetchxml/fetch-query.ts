/**
 * FetchXML → the query model the evaluator runs: `<fetch>` options, `<entity>` with
 * `<attribute>`/`<all-attributes>`, nested `<filter type="and|or">` with `<condition>`s,
 * `<order>`, `<link-entity>` (inner/outer, alias, its own attributes, filters, orders and links).
 * Names are checked against the organization's schema here, so the evaluator never meets an
 * unknown table or column.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/fetch
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/select-columns
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/filter-rows
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/join-tables
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/order-rows
 */
import type { XmlElement } from '../../fetchxml/xml-parser';
import type { Schema, TableInfo } from '../model/schema';
import type { ColumnDef } from '../tables/types';
import { fetchErr } from './fetch-errors';

export type AggregateFn = 'count' | 'countcolumn' | 'sum' | 'avg' | 'min' | 'max';
export type DateGrouping = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface AttributeNode {
  column: ColumnDef;
  alias: string | null;
  aggregate: AggregateFn | null;
  groupby: boolean;
  dategrouping: DateGrouping | null;
  distinct: boolean;
}

export interface ConditionNode {
  /** link-entity alias from `entityname`, or null for the entity the filter is on */
  entityName: string | null;
  /** column name as written (resolved by the evaluator against the scope's table) */
  attribute: string;
  operator: string;
  values: string[];
}

export interface FilterNode {
  type: 'and' | 'or';
  conditions: ConditionNode[];
  filters: FilterNode[];
}

export interface OrderNode {
  attribute: ColumnDef | null;
  alias: string | null;
  descending: boolean;
}

export interface EntityNode {
  info: TableInfo;
  attributes: AttributeNode[];
  allAttributes: boolean;
  filters: FilterNode[];
  orders: OrderNode[];
  links: LinkNode[];
}

export interface LinkNode extends EntityNode {
  alias: string;
  /** column on the linked table */
  from: ColumnDef;
  /** column on the parent */
  to: ColumnDef;
  linkType: 'inner' | 'outer';
}

export interface FetchQuery {
  top: number | null;
  count: number | null;
  page: number;
  pagingCookie: string | null;
  distinct: boolean;
  aggregate: boolean;
  aggregateLimit: number | null;
  returnTotalRecordCount: boolean;
  root: EntityNode;
}

const AGGREGATES = new Set<AggregateFn>(['count', 'countcolumn', 'sum', 'avg', 'min', 'max']);
const DATE_GROUPINGS = new Set<DateGrouping>(['day', 'week', 'month', 'quarter', 'year']);
const FETCH_OPTIONS = new Set([
  'version',
  'output-format',
  'mapping',
  'distinct',
  'no-lock',
  'top',
  'count',
  'page',
  'paging-cookie',
  'aggregate',
  'aggregatelimit',
  'returntotalrecordcount',
  'latematerialize',
  'options',
  'useraworderby',
  'datasource',
]);

function bool(el: XmlElement, name: string): boolean {
  const v = el.attrs.get(name);
  if (v === undefined) return false;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw fetchErr.invalidValue(name, el.name, v);
}

function positiveInt(el: XmlElement, name: string, max = Number.MAX_SAFE_INTEGER): number | null {
  const v = el.attrs.get(name);
  if (v === undefined) return null;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > max) throw fetchErr.invalidValue(name, el.name, v);
  return n;
}

function column(info: TableInfo, name: string | undefined): ColumnDef {
  const c = name === undefined ? undefined : info.columns.get(name);
  if (!c) throw fetchErr.noAttribute(info.name, name ?? '');
  return c;
}

class Builder {
  private readonly aliasCounts = new Map<string, number>();
  readonly aliases = new Map<string, LinkNode>();

  constructor(
    private readonly schema: Schema,
    private readonly aggregate: boolean,
  ) {}

  entity(el: XmlElement, info: TableInfo, out: EntityNode): void {
    for (const child of el.children) {
      switch (child.name) {
        case 'attribute':
          out.attributes.push(this.attribute(child, info));
          break;
        case 'all-attributes':
          out.allAttributes = true;
          break;
        case 'filter':
          out.filters.push(this.filter(child));
          break;
        case 'order':
          out.orders.push(this.order(child, info));
          break;
        case 'link-entity':
          out.links.push(this.link(child, info));
          break;
        default:
          throw fetchErr.invalidNode(child.name, el.name);
      }
    }
  }

  attribute(el: XmlElement, info: TableInfo): AttributeNode {
    const c = column(info, el.attrs.get('name'));
    const agg = el.attrs.get('aggregate');
    if (agg !== undefined && !AGGREGATES.has(agg as AggregateFn)) throw fetchErr.invalidValue('aggregate', 'attribute', agg);
    const dg = el.attrs.get('dategrouping');
    if (dg !== undefined && !DATE_GROUPINGS.has(dg as DateGrouping)) {
      if (dg === 'fiscal-period' || dg === 'fiscal-year') throw fetchErr.invalidValue('dategrouping', 'attribute', dg);
      throw fetchErr.invalidValue('dategrouping', 'attribute', dg);
    }
    const node: AttributeNode = {
      column: c,
      alias: el.attrs.get('alias') ?? null,
      aggregate: (agg as AggregateFn | undefined) ?? null,
      groupby: bool(el, 'groupby'),
      dategrouping: (dg as DateGrouping | undefined) ?? null,
      distinct: bool(el, 'distinct'),
    };
    if (this.aggregate) {
      if (!node.alias) throw fetchErr.noAlias();
      if (!node.aggregate && !node.groupby) throw fetchErr.aggregateNeeded(c.name);
    }
    return node;
  }

  filter(el: XmlElement): FilterNode {
    const type = el.attrs.get('type') ?? 'and';
    if (type !== 'and' && type !== 'or') throw fetchErr.filterType(type);
    const node: FilterNode = { type, conditions: [], filters: [] };
    for (const child of el.children) {
      if (child.name === 'condition') node.conditions.push(this.condition(child));
      else if (child.name === 'filter') node.filters.push(this.filter(child));
      else throw fetchErr.invalidNode(child.name, 'filter');
    }
    return node;
  }

  condition(el: XmlElement): ConditionNode {
    const attribute = el.attrs.get('attribute');
    const operator = el.attrs.get('operator');
    if (!attribute) throw fetchErr.invalidValue('attribute', 'condition', '');
    if (!operator) throw fetchErr.operator('');
    const values: string[] = [];
    const v = el.attrs.get('value');
    if (v !== undefined) values.push(v);
    for (const child of el.children) {
      if (child.name !== 'value') throw fetchErr.invalidNode(child.name, 'condition');
      values.push(child.text.trim());
    }
    return { entityName: el.attrs.get('entityname') ?? null, attribute, operator, values };
  }

  order(el: XmlElement, info: TableInfo): OrderNode {
    const alias = el.attrs.get('alias') ?? null;
    const attr = el.attrs.get('attribute');
    return {
      attribute: attr === undefined ? null : column(info, attr),
      alias: attr === undefined ? alias : null,
      descending: bool(el, 'descending'),
    };
  }

  link(el: XmlElement, parent: TableInfo): LinkNode {
    const name = el.attrs.get('name') ?? '';
    const info = this.schema.tables.get(name);
    if (!info) throw fetchErr.noEntity(name);
    const linkType = el.attrs.get('link-type') ?? 'inner';
    if (linkType !== 'inner' && linkType !== 'outer') throw fetchErr.linkType(linkType);
    let alias = el.attrs.get('alias');
    if (!alias) {
      // An unaliased link-entity's columns are named after its table (`contact.fullname`); a second one of the same table gets a number.
      const n = (this.aliasCounts.get(name) ?? 0) + 1;
      this.aliasCounts.set(name, n);
      alias = n === 1 ? name : `${name}${n}`;
    }
    const node: LinkNode = {
      info,
      alias,
      from: column(info, el.attrs.get('from') ?? info.def.primaryId),
      to: column(parent, el.attrs.get('to') ?? parent.def.primaryId),
      linkType,
      attributes: [],
      allAttributes: false,
      filters: [],
      orders: [],
      links: [],
    };
    this.aliases.set(alias, node);
    this.entity(el, info, node);
    return node;
  }
}

export interface ParsedFetch {
  query: FetchQuery;
  aliases: Map<string, LinkNode>;
}

/** The `<fetch>` document on the entity set's table; throws Dataverse's errors. */
export function buildFetchQuery(root: XmlElement, schema: Schema, setTable: TableInfo): ParsedFetch {
  if (root.name !== 'fetch') throw fetchErr.invalidNode(root.name, 'document');
  for (const a of root.attrs.keys()) if (!FETCH_OPTIONS.has(a)) throw fetchErr.invalidValue(a, 'fetch', root.attrs.get(a) ?? '');
  const entities = root.children.filter((c) => c.name === 'entity');
  const other = root.children.find((c) => c.name !== 'entity' && c.name !== 'order');
  if (other) throw fetchErr.invalidNode(other.name, 'fetch');
  const entityEl = entities[0];
  if (!entityEl || entities.length > 1) throw fetchErr.invalidNode('entity', 'fetch');
  const entityName = entityEl.attrs.get('name') ?? '';
  const info = schema.tables.get(entityName);
  if (!info) throw fetchErr.noEntity(entityName);
  if (info.name !== setTable.name) throw fetchErr.entitiesDontMatch(info.name, setTable.name);
  const aggregate = bool(root, 'aggregate');
  const builder = new Builder(schema, aggregate);
  const node: EntityNode = { info, attributes: [], allAttributes: false, filters: [], orders: [], links: [] };
  builder.entity(entityEl, info, node);
  const page = positiveInt(root, 'page') ?? 1;
  // Learn (count-rows): top can't be applied together with returntotalrecordcount.
  if (root.attrs.has('top') && bool(root, 'returntotalrecordcount')) throw fetchErr.topWithTotalCount();
  return {
    query: {
      top: positiveInt(root, 'top', 5000),
      count: positiveInt(root, 'count', 5000),
      page,
      pagingCookie: root.attrs.get('paging-cookie') ?? null,
      distinct: bool(root, 'distinct'),
      aggregate,
      aggregateLimit: positiveInt(root, 'aggregatelimit', 50_000),
      returnTotalRecordCount: bool(root, 'returntotalrecordcount'),
      root: node,
    },
    aliases: builder.aliases,
  };
}
