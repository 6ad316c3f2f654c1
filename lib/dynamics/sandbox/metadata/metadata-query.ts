/**
 * Metadata routes for dynamic discovery:
 *   EntityDefinitions[(LogicalName='x')|(<MetadataId>)]
 *     [/Attributes[(LogicalName='y')|(<MetadataId>)][/Microsoft.Dynamics.CRM.<Type>AttributeMetadata][/OptionSet|/GlobalOptionSet]]
 *     [/ManyToOneRelationships|/OneToManyRelationships|/ManyToManyRelationships|/Keys]
 *   RelationshipDefinitions, GlobalOptionSetDefinitions
 * with `$select`, `$filter` (including `Microsoft.Dynamics.CRM.<Enum>'Value'` literals and
 * `RequiredLevel/Value` paths) and `$expand` (Attributes, OptionSet after a cast, relationships).
 * No paging: all matches come in one response.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
import { DataverseError, codes, err } from '../errors';
import { FilterCompiler } from '../odata/filter-evaluate';
import { parseFilter } from '../odata/filter-parser';
import type { Binder, BoundPath } from '../odata/filter-types';
import { parseQueryOptions, type QueryOptions } from '../odata/query-options';
import { normalizeGuid } from '../util/guid';
import { jsonResponse, type ApiContext, type ApiRequest, type ApiResponse } from '../webapi/api-types';
import type { Segment } from '../webapi/segments';
import {
  BASE_ATTRIBUTE_PROPS,
  entityMetadata,
  globalOptionSets,
  manyToManyMetadata,
  type EntityMetadataBundle,
} from './entity-definitions';

type Json = Record<string, unknown>;

interface Kind {
  type: string;
  props: Set<string>;
  expand: Map<string, (item: Json, opts: QueryOptions) => unknown>;
}

class JsonBinder implements Binder {
  constructor(
    private readonly kind: Kind,
    readonly crm: ApiContext['crm'],
  ) {}

  property(name: string): BoundPath {
    return this.path([name]);
  }

  path(segments: string[]): BoundPath {
    const [first] = segments;
    if (first === undefined || !this.kind.props.has(first)) {
      throw new DataverseError(
        400,
        codes.odata,
        `Could not find a property named '${first ?? ''}' on type 'Microsoft.Dynamics.CRM.${this.kind.type}'.`,
      );
    }
    return {
      type: 'unknown',
      edm: 'Edm.Untyped',
      get: (row) => {
        let v: unknown = row;
        for (const s of segments) v = v && typeof v === 'object' ? (v as Json)[s] : undefined;
        return v ?? null;
      },
    };
  }
}

function project(ctx: ApiContext, kind: Kind, item: Json, opts: QueryOptions): Json {
  let out: Json;
  if (opts.select) {
    out = {};
    if ('@odata.type' in item) out['@odata.type'] = item['@odata.type'];
    for (const p of opts.select) {
      if (!kind.props.has(p))
        throw new DataverseError(400, codes.odata, `Could not find a property named '${p}' on type 'Microsoft.Dynamics.CRM.${kind.type}'.`);
      out[p] = item[p] ?? null;
    }
    out.MetadataId = item.MetadataId;
  } else out = { ...item };
  for (const e of opts.expand) {
    const fn = kind.expand.get(e.nav);
    if (!fn)
      throw new DataverseError(
        400,
        codes.odata,
        `Could not find a property named '${e.nav}' on type 'Microsoft.Dynamics.CRM.${kind.type}'.`,
      );
    out[e.nav] = fn(item, e.options);
  }
  void ctx;
  return out;
}

function applyList(ctx: ApiContext, kind: Kind, items: Json[], opts: QueryOptions): Json[] {
  let list = items;
  if (opts.filter) {
    const text = opts.filter;
    const pred = new FilterCompiler(new JsonBinder(kind, ctx.crm), text).predicate(parseFilter(text, (n) => opts.aliases.get(n) ?? null));
    list = list.filter((i) => pred(i));
  }
  if (opts.top !== null) list = list.slice(0, opts.top);
  return list.map((i) => project(ctx, kind, i, opts));
}

const propsOf = (items: Json[], extra: string[] = []): Set<string> => {
  const s = new Set<string>(extra);
  for (const i of items) for (const k of Object.keys(i)) if (!k.startsWith('@')) s.add(k);
  return s;
};

function bundleFor(ctx: ApiContext, key: string): EntityMetadataBundle {
  const all = entityMetadata(ctx.store.schema);
  const g = normalizeGuid(key);
  if (g) {
    for (const b of all.values()) if (b.entity.MetadataId === g) return b;
  } else {
    const m = /^LogicalName\s*=\s*'([^']*)'$/.exec(key.trim());
    const b = m?.[1] !== undefined ? all.get(m[1]) : undefined;
    if (b) return b;
  }
  throw new DataverseError(404, codes.objectDoesNotExist, `Could not find entity with key '${key}'.`, 'ObjectDoesNotExist');
}

function attributeKind(bundle: EntityMetadataBundle, cast: string | null): Kind {
  const typed = cast ? bundle.attributes.filter((a) => a['@odata.type'] === `#Microsoft.Dynamics.CRM.${cast}`) : bundle.attributes;
  const expand = new Map<string, (item: Json, opts: QueryOptions) => unknown>();
  if (cast && /^(Picklist|State|Status|Boolean|MultiSelectPicklist)AttributeMetadata$/.test(cast)) {
    const optionSet = (item: Json, opts: QueryOptions): unknown => {
      const os = bundle.optionSets.get(String(item.LogicalName));
      if (!os || !opts.select) return os ?? null;
      return Object.fromEntries([...opts.select, 'MetadataId'].map((p) => [p, os[p] ?? null]));
    };
    expand.set('OptionSet', optionSet);
    expand.set('GlobalOptionSet', (item) => {
      const os = bundle.optionSets.get(String(item.LogicalName));
      return os?.IsGlobal === true ? os : null;
    });
  }
  return { type: cast ?? 'AttributeMetadata', props: cast ? propsOf(typed, BASE_ATTRIBUTE_PROPS) : new Set(BASE_ATTRIBUTE_PROPS), expand };
}

function relationshipKind(items: Json[], type: string): Kind {
  return { type, props: propsOf(items), expand: new Map() };
}

function entityKind(ctx: ApiContext): Kind {
  const all = [...entityMetadata(ctx.store.schema).values()];
  const expand = new Map<string, (item: Json, opts: QueryOptions) => unknown>();
  const bundleOf = (item: Json): EntityMetadataBundle => bundleFor(ctx, `LogicalName='${String(item.LogicalName)}'`);
  expand.set('Attributes', (item, opts) => applyList(ctx, attributeKind(bundleOf(item), null), bundleOf(item).attributes, opts));
  expand.set('ManyToOneRelationships', (item, opts) =>
    applyList(ctx, relationshipKind(bundleOf(item).manyToOne, 'OneToManyRelationshipMetadata'), bundleOf(item).manyToOne, opts),
  );
  expand.set('OneToManyRelationships', (item, opts) =>
    applyList(ctx, relationshipKind(bundleOf(item).oneToMany, 'OneToManyRelationshipMetadata'), bundleOf(item).oneToMany, opts),
  );
  expand.set('ManyToManyRelationships', (item, opts) =>
    applyList(ctx, relationshipKind(bundleOf(item).manyToMany, 'ManyToManyRelationshipMetadata'), bundleOf(item).manyToMany, opts),
  );
  expand.set('Keys', (item, opts) => applyList(ctx, relationshipKind(bundleOf(item).keys, 'EntityKeyMetadata'), bundleOf(item).keys, opts));
  return { type: 'EntityMetadata', props: propsOf(all.map((b) => b.entity)), expand };
}

function ok(ctx: ApiContext, context: string, payload: Json): ApiResponse {
  return jsonResponse(200, JSON.stringify({ '@odata.context': `${ctx.apiBase}/$metadata#${context}`, ...payload }));
}

const sel = (opts: QueryOptions): string => (opts.select ? `(${opts.select.join(',')})` : '');

const RELATIONSHIP_CASTS: Record<string, string> = {
  'Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata': 'OneToManyRelationship',
  'Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata': 'ManyToManyRelationship',
};

/**
 * `RelationshipDefinitions[(<MetadataId>)|(SchemaName='x')][/Microsoft.Dynamics.CRM.<Kind>RelationshipMetadata]`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api#querying-relationship-definitions).
 */
function relationshipDefinitions(
  ctx: ApiContext,
  opts: QueryOptions,
  head: Segment,
  second: Segment | undefined,
  third: Segment | undefined,
): ApiResponse {
  const schema = ctx.store.schema;
  const oneToMany = [...entityMetadata(schema).values()]
    .flatMap((b) => b.oneToMany)
    .map((r) => ({ '@odata.type': '#Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata', ...r }));
  let items: Json[] = [...oneToMany, ...schema.manyToMany.map((r) => manyToManyMetadata(r))];
  if (third) throw err.segmentNotFound(third.raw);
  const cast = second ? RELATIONSHIP_CASTS[second.name] : undefined;
  if (second && !cast) throw err.segmentNotFound(second.raw);
  if (cast) items = items.filter((i) => i.RelationshipType === cast);
  const castPath = second ? `/${second.name}` : '';
  const kindName = second ? second.name.slice('Microsoft.Dynamics.CRM.'.length) : 'RelationshipMetadataBase';
  if (head.key !== null) {
    const g = normalizeGuid(head.key);
    const m = /^SchemaName\s*=\s*'([^']*)'$/.exec(head.key.trim());
    const item = items.find((i) => (g ? i.MetadataId === g : i.SchemaName === m?.[1]));
    if (!item)
      throw new DataverseError(404, codes.objectDoesNotExist, `Could not find relationship with key '${head.key}'.`, 'ObjectDoesNotExist');
    const kind = relationshipKind([item], kindName);
    return ok(ctx, `RelationshipDefinitions${castPath}${sel(opts)}/$entity`, project(ctx, kind, item, opts));
  }
  return ok(ctx, `RelationshipDefinitions${castPath}${sel(opts)}`, {
    value: applyList(ctx, relationshipKind(items, kindName), items, opts),
  });
}

export function handleMetadata(ctx: ApiContext, req: ApiRequest, segs: Segment[]): ApiResponse {
  if (req.method !== 'GET') throw err.methodNotAllowed(req.method);
  const opts = parseQueryOptions(req.search);
  const [head, second, third, fourth, fifth] = segs;
  if (!head) throw err.noResource(req.path);
  if (head.name === 'GlobalOptionSetDefinitions') {
    if (second) throw err.segmentNotFound(second.raw);
    const items = globalOptionSets(ctx.store.schema);
    const kind = relationshipKind(items, 'OptionSetMetadataBase');
    if (head.key === null) return ok(ctx, `GlobalOptionSetDefinitions${sel(opts)}`, { value: applyList(ctx, kind, items, opts) });
    const g = normalizeGuid(head.key);
    const m = /^Name\s*=\s*'([^']*)'$/.exec(head.key.trim());
    const item = items.find((i) => (g ? i.MetadataId === g : i.Name === m?.[1]));
    if (!item)
      throw new DataverseError(404, codes.objectDoesNotExist, `Could not find optionset with key '${head.key}'.`, 'ObjectDoesNotExist');
    return ok(ctx, `GlobalOptionSetDefinitions${sel(opts)}/$entity`, project(ctx, kind, item, opts));
  }
  if (head.name === 'RelationshipDefinitions') return relationshipDefinitions(ctx, opts, head, second, third);
  const eKind = entityKind(ctx);
  if (head.key === null) {
    if (second) throw err.segmentNotFound(second.raw);
    const items = [...entityMetadata(ctx.store.schema).values()].map((b) => b.entity);
    return ok(ctx, `EntityDefinitions${sel(opts)}`, { value: applyList(ctx, eKind, items, opts) });
  }
  const bundle = bundleFor(ctx, head.key);
  if (!second) return ok(ctx, `EntityDefinitions${sel(opts)}/$entity`, project(ctx, eKind, bundle.entity, opts));
  const base = `EntityDefinitions(${String(bundle.entity.MetadataId)})`;
  switch (second.name) {
    case 'ManyToOneRelationships':
    case 'OneToManyRelationships':
    case 'ManyToManyRelationships':
    case 'Keys': {
      if (third) throw err.segmentNotFound(third.raw);
      const items =
        second.name === 'ManyToOneRelationships'
          ? bundle.manyToOne
          : second.name === 'OneToManyRelationships'
            ? bundle.oneToMany
            : second.name === 'Keys'
              ? bundle.keys
              : bundle.manyToMany;
      const kind = relationshipKind(
        items,
        second.name === 'Keys'
          ? 'EntityKeyMetadata'
          : second.name === 'ManyToManyRelationships'
            ? 'ManyToManyRelationshipMetadata'
            : 'OneToManyRelationshipMetadata',
      );
      return ok(ctx, `${base}/${second.name}${sel(opts)}`, { value: applyList(ctx, kind, items, opts) });
    }
    case 'Attributes':
      break;
    default:
      throw err.segmentNotFound(second.raw);
  }
  const castName = (s: Segment | undefined): string | null =>
    s?.name.startsWith('Microsoft.Dynamics.CRM.') ? s.name.slice('Microsoft.Dynamics.CRM.'.length) : null;
  if (second.key === null) {
    const cast = castName(third);
    if (third && !cast) throw err.segmentNotFound(third.raw);
    if (fourth) throw err.segmentNotFound(fourth.raw);
    const kind = attributeKind(bundle, cast);
    const items = cast ? bundle.attributes.filter((a) => a['@odata.type'] === `#Microsoft.Dynamics.CRM.${cast}`) : bundle.attributes;
    if (cast && !/AttributeMetadata$/.test(cast)) throw err.segmentNotFound(third?.raw ?? '');
    return ok(ctx, `${base}/Attributes${cast ? `/Microsoft.Dynamics.CRM.${cast}` : ''}${sel(opts)}`, {
      value: applyList(ctx, kind, items, opts),
    });
  }
  const key = second.key;
  const g = normalizeGuid(key);
  const m = /^LogicalName\s*=\s*'([^']*)'$/.exec(key.trim());
  const attr = bundle.attributes.find((a) => (g ? a.MetadataId === g : a.LogicalName === m?.[1]));
  if (!attr)
    throw new DataverseError(
      404,
      codes.objectDoesNotExist,
      `Could not find attribute with key '${key}' on entity '${String(bundle.entity.LogicalName)}'.`,
      'ObjectDoesNotExist',
    );
  const cast = castName(third);
  if (third && !cast) throw err.segmentNotFound(third.raw);
  if (cast && attr['@odata.type'] !== `#Microsoft.Dynamics.CRM.${cast}`) {
    throw new DataverseError(
      400,
      codes.odata,
      `The attribute '${String(attr.LogicalName)}' is not of type 'Microsoft.Dynamics.CRM.${cast}'.`,
    );
  }
  const kind = attributeKind(bundle, cast);
  if (fourth) {
    if ((fourth.name !== 'OptionSet' && fourth.name !== 'GlobalOptionSet') || fifth || !kind.expand.has(fourth.name))
      throw err.segmentNotFound(fourth.raw);
    const found = bundle.optionSets.get(String(attr.LogicalName));
    const os = fourth.name === 'OptionSet' || found?.IsGlobal === true ? found : null;
    if (!os) return { status: 204, headers: { 'OData-Version': '4.0' }, body: null };
    const out: Json = opts.select ? Object.fromEntries([...opts.select, 'MetadataId'].map((p) => [p, os[p] ?? null])) : os;
    return ok(
      ctx,
      `${base}/Attributes(${String(attr.MetadataId)})/Microsoft.Dynamics.CRM.${cast ?? ''}/OptionSet${sel(opts)}/$entity`,
      out,
    );
  }
  return ok(ctx, `${base}/Attributes${cast ? `/Microsoft.Dynamics.CRM.${cast}` : ''}${sel(opts)}/$entity`, project(ctx, kind, attr, opts));
}
