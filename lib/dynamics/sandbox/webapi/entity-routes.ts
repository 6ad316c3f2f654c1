/**
 * Entity-set routes: collection GET/POST, `/$count`, single record GET/PATCH/DELETE with
 * If-Match/If-None-Match, single property GET/PUT/DELETE, navigation GET, `$ref` associate and
 * disassociate. Status codes and headers as Dataverse's: create is 204 with `OData-EntityId` (201
 * with the row under `return=representation`), update 204 (200 with the row), ETags are
 * `W/"<versionnumber>"`, a failed condition is 412.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 */
import { DataverseError, codes, err } from '../errors';
import { fetchXmlParam, queryFetchXml } from '../fetchxml/fetch-response';
import { isLookupKind, type TableInfo } from '../model/schema';
import { stringify } from '../odata/json';
import { findByKey, notFoundFor, parseKey, type ParsedKey } from '../odata/keys';
import { ANN, annotationMatcher, parsePrefer, type Preferences } from '../odata/prefer';
import { parseQueryOptions, type QueryOptions } from '../odata/query-options';
import { contextSelector, resolveSelection } from '../odata/selection';
import { etagOf, serializeContext, serializeRow } from '../odata/serialize';
import { isLookupValue } from '../store';
import type { LookupValue, Row } from '../tables/types';
import { emptyResponse, jsonResponse, type ApiContext, type ApiRequest, type ApiResponse } from './api-types';
import { readPayload } from './payload';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../util/limits';
import { countCollection, queryCollection } from './query';
import { createFromPayload, deleteRecord, setLookup, updateFromPayload, updateRow } from './records';
import type { Segment } from './segments';
import { resolveReference } from './payload';
import { handleManyToMany } from './many-to-many';

function parseBody(req: ApiRequest, info: TableInfo): unknown {
  if (!req.body.trim()) throw err.payload(info.def.entitySetName, 'Invalid JSON. An unexpected end of input was found in JSON content.');
  // A body nested deeper than any entity payload is refused before the recursive binders see it.
  if (jsonDepthExceeds(req.body))
    throw err.payload(info.def.entitySetName, `Invalid JSON. The JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  try {
    return JSON.parse(req.body) as unknown;
  } catch (e) {
    throw err.payload(info.def.entitySetName, `Invalid JSON. ${(e as Error).message}`);
  }
}

function entityUrl(ctx: ApiContext, info: TableInfo, keyText: string): string {
  return `${ctx.apiBase}/${info.def.entitySetName}(${keyText})`;
}

function representation(
  ctx: ApiContext,
  info: TableInfo,
  row: Row,
  opts: QueryOptions,
  prefs: Preferences,
  status: number,
  extra: Record<string, string> = {},
): ApiResponse {
  const sel = resolveSelection(info, { ...opts, expand: [] }, ctx.store, ctx.crm);
  const body = {
    '@odata.context': `${ctx.apiBase}/$metadata#${info.def.entitySetName}${contextSelector(sel, info)}/$entity`,
    ...serializeRow(serializeContext(ctx.store, ctx.apiBase, annotationMatcher(prefs.annotations)), info, row, sel),
  };
  return jsonResponse(status, stringify(body), { 'Preference-Applied': 'return=representation', ETag: etagOf(row), ...extra });
}

function keyText(key: ParsedKey, id: string): string {
  return key.kind === 'id' ? id : key.raw;
}

/** If-Match: `*` or a weak ETag; a mismatch is 412 with Dataverse's concurrency error. */
function etagMatches(header: string, row: Row): boolean {
  if (header.trim() === '*') return true;
  const tag = etagOf(row);
  return header.split(',').some((t) => t.trim() === tag || t.trim() === tag.slice(2));
}

export function handleEntitySet(ctx: ApiContext, req: ApiRequest, info: TableInfo, segs: Segment[]): ApiResponse {
  const [head, second, third, fourth] = segs;
  if (!head) throw err.noResource(req.path);
  const prefs = parsePrefer(req.headers.get('prefer'));
  const opts = parseQueryOptions(req.search);
  const collectionUrl = `${ctx.apiBase}/${info.def.entitySetName}`;
  // Intersect tables are read-only: associations are made through `$ref` (the message is the platform's for a message a table does not support).
  if (info.def.intersect && req.method !== 'GET') {
    const message = req.method === 'POST' ? 'Create' : req.method === 'DELETE' ? 'Delete' : 'Update';
    throw err.badRequest(`The '${message}' method does not support entities of type '${info.name}'.`, codes.invalidArgument);
  }

  if (head.key === null) {
    if (second) {
      if (second.name === '$count' && !third && req.method === 'GET') return countCollection(ctx, info, opts);
      throw err.segmentNotFound(second.raw);
    }
    if (req.method === 'GET') {
      const fetchXml = fetchXmlParam(req.search);
      if (fetchXml !== null) return queryFetchXml(ctx, info, fetchXml, opts, prefs);
      return queryCollection(ctx, info, opts, prefs, { linkBase: collectionUrl, contextPath: info.def.entitySetName });
    }
    if (req.method === 'POST') {
      const payload = readPayload(ctx, info, parseBody(req, info), 'create');
      const { id, row } = ctx.store.transaction(() => createFromPayload(ctx, info, payload));
      const url = entityUrl(ctx, info, id);
      if (prefs.returnRepresentation) return representation(ctx, info, row, opts, prefs, 201, { 'x-sandbox-entity-url': url });
      return emptyResponse(204, { 'OData-EntityId': url });
    }
    throw err.methodNotAllowed(req.method);
  }

  const key = parseKey(info, head.key);
  const found = findByKey(ctx.store, info, key);

  if (!second) {
    switch (req.method) {
      case 'GET': {
        if (!found) throw notFoundFor(info, key);
        const ifNoneMatch = req.headers.get('if-none-match');
        // 304 only without $expand and annotations (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api).
        if (
          ifNoneMatch &&
          ifNoneMatch !== 'null' &&
          opts.expand.length === 0 &&
          !prefs.annotations &&
          etagMatches(ifNoneMatch, found.row)
        ) {
          return emptyResponse(304, { ETag: etagOf(found.row) });
        }
        const sel = resolveSelection(info, opts, ctx.store, ctx.crm);
        const body = {
          '@odata.context': `${ctx.apiBase}/$metadata#${info.def.entitySetName}${contextSelector(sel, info)}/$entity`,
          ...serializeRow(serializeContext(ctx.store, ctx.apiBase, annotationMatcher(prefs.annotations)), info, found.row, sel),
        };
        return jsonResponse(200, stringify(body), { ETag: etagOf(found.row) });
      }
      case 'PATCH': {
        const ifMatch = req.headers.get('if-match');
        const ifNoneMatch = req.headers.get('if-none-match');
        const payload = readPayload(ctx, info, parseBody(req, info), 'update');
        const url = entityUrl(ctx, info, keyText(key, found?.id ?? (key.kind === 'id' ? key.id : '')));
        if (found) {
          if (ifNoneMatch?.trim() === '*') throw err.duplicate();
          if (ifMatch && !etagMatches(ifMatch, found.row)) throw err.versionMismatch();
          // Key columns addressed in the URL are dropped from the body on update, as upsert does.
          const row = ctx.store.transaction(() => updateFromPayload(ctx, info, found.row, payload, key.kind === 'alt' ? key.columns : []));
          if (prefs.returnRepresentation) return representation(ctx, info, row, opts, prefs, 200, { 'x-sandbox-entity-url': url });
          return emptyResponse(204, { 'OData-EntityId': url });
        }
        if (ifMatch) throw notFoundFor(info, key);
        // Upsert: create with the addressed key (the URL's key values are copied into the new row).
        const createPayload = readPayload(ctx, info, parseBody(req, info), 'create');
        const defaults: Row = {};
        if (key.kind === 'alt') key.columns.forEach((c, i) => (defaults[c] = key.values[i]));
        const created = ctx.store.transaction(() =>
          createFromPayload(ctx, info, createPayload, key.kind === 'id' ? key.id : undefined, defaults),
        );
        const createdUrl = entityUrl(ctx, info, keyText(key, created.id));
        if (prefs.returnRepresentation)
          return representation(ctx, info, created.row, opts, prefs, 201, { 'x-sandbox-entity-url': createdUrl });
        return emptyResponse(204, { 'OData-EntityId': createdUrl });
      }
      case 'DELETE': {
        if (!found) throw notFoundFor(info, key);
        const ifMatch = req.headers.get('if-match');
        if (ifMatch && !etagMatches(ifMatch, found.row)) throw err.versionMismatch();
        ctx.store.transaction(() => deleteRecord(ctx, info, found.id));
        return emptyResponse(204);
      }
      default:
        throw err.methodNotAllowed(req.method);
    }
  }

  if (!found) throw notFoundFor(info, key);
  const row = found.row;
  const schema = ctx.store.schema;
  const manyToMany = info.navManyToMany.get(second.name);
  if (manyToMany) return handleManyToMany(ctx, req, info, found.id, manyToMany, segs, opts, prefs, () => parseBody(req, info));

  // Navigation properties ------------------------------------------------------------------------
  const single = info.navSingle.get(second.name);
  const coll = single ? undefined : info.navCollection.get(second.name);
  if (single) {
    if (third?.name === '$ref' && !fourth) {
      if (req.method === 'DELETE') {
        ctx.store.transaction(() => updateRow(ctx, info, row, { [single.column.name]: null }));
        return emptyResponse(204);
      }
      if (req.method === 'PUT') {
        const body = parseBody(req, info) as { '@odata.id'?: unknown };
        if (typeof body['@odata.id'] !== 'string')
          throw err.payload(info.def.entitySetName, "The '@odata.id' property is required in an entity reference payload.");
        const ref = resolveReference(ctx, body['@odata.id'], info.def.entitySetName);
        if (ref.table.name !== single.target) throw err.badRequest(`The entity reference must be of type '${single.target}'.`);
        ctx.store.transaction(() =>
          updateRow(ctx, info, row, { [single.column.name]: { id: ref.id, table: ref.table.name } satisfies LookupValue }),
        );
        return emptyResponse(204);
      }
      if (req.method === 'GET') {
        const v = row[single.column.name];
        if (!isLookupValue(v) || v.table !== single.target) return emptyResponse(204);
        const t = schema.tables.get(v.table);
        return jsonResponse(
          200,
          JSON.stringify({
            '@odata.context': `${ctx.apiBase}/$metadata#$ref`,
            '@odata.id': `${ctx.apiBase}/${t?.def.entitySetName ?? ''}(${v.id})`,
          }),
        );
      }
      throw err.methodNotAllowed(req.method);
    }
    if (third) throw err.segmentNotFound(third.raw);
    if (req.method !== 'GET') throw err.methodNotAllowed(req.method);
    const v = row[single.column.name];
    const target = schema.tables.get(single.target);
    const related = isLookupValue(v) && v.table === single.target ? ctx.store.get(v.table, v.id) : undefined;
    if (!related || !target) return emptyResponse(204);
    const sel = resolveSelection(target, opts, ctx.store, ctx.crm);
    const body = {
      '@odata.context': `${ctx.apiBase}/$metadata#${target.def.entitySetName}${contextSelector(sel, target)}/$entity`,
      ...serializeRow(serializeContext(ctx.store, ctx.apiBase, annotationMatcher(prefs.annotations)), target, related, sel),
    };
    return jsonResponse(200, stringify(body), { ETag: etagOf(related) });
  }
  if (coll) {
    const child = schema.tables.get(coll.referencingTable);
    if (!child) throw err.segmentNotFound(second.raw);
    const col = coll.column.name;
    const parentFilter = (r: Row): boolean => {
      const v = r[col];
      return isLookupValue(v) && v.id === found.id;
    };
    const parentRef: LookupValue = { id: found.id, table: info.name };
    if (third?.name === '$ref' || fourth?.name === '$ref') {
      if (req.method === 'POST' && third?.name === '$ref' && second.key === null) {
        const body = parseBody(req, info) as { '@odata.id'?: unknown };
        if (typeof body['@odata.id'] !== 'string')
          throw err.payload(info.def.entitySetName, "The '@odata.id' property is required in an entity reference payload.");
        const ref = resolveReference(ctx, body['@odata.id'], info.def.entitySetName);
        if (ref.table.name !== child.name) throw err.badRequest(`The entity reference must be of type '${child.name}'.`);
        ctx.store.transaction(() => setLookup(ctx, child, ref.id, col, parentRef));
        return emptyResponse(204);
      }
      if (req.method === 'DELETE') {
        let childId: string | null = null;
        if (second.key) childId = (parseKey(child, second.key) as { id?: string }).id ?? null;
        else {
          const idParam = new URLSearchParams(req.search).get('$id');
          if (idParam) childId = resolveReference(ctx, idParam, info.def.entitySetName).id;
        }
        if (!childId) throw new DataverseError(400, codes.queryInvalid, "The value of $id '?%24id=' is invalid.");
        const childRow = ctx.store.get(child.name, childId);
        if (!childRow || !parentFilter(childRow)) throw err.notFound(child.name, childId);
        ctx.store.transaction(() => setLookup(ctx, child, childId, col, null));
        return emptyResponse(204);
      }
      if (req.method === 'GET') {
        const ids: unknown[] = [];
        for (const r of ctx.store.rows(child.name))
          if (parentFilter(r)) ids.push({ '@odata.id': `${ctx.apiBase}/${child.def.entitySetName}(${String(r[child.def.primaryId])})` });
        return jsonResponse(200, JSON.stringify({ '@odata.context': `${ctx.apiBase}/$metadata#Collection($ref)`, value: ids }));
      }
      throw err.methodNotAllowed(req.method);
    }
    if (third?.name === '$count' && req.method === 'GET') {
      const res = countCollection(ctx, child, opts, parentFilter);
      // Counts of navigation collections are preceded by a UTF-8 BOM, as Learn's retrieve examples show.
      return { ...res, body: `\uFEFF${res.body ?? ''}` };
    }
    if (third) throw err.segmentNotFound(third.raw);
    if (req.method !== 'GET') throw err.methodNotAllowed(req.method);
    return queryCollection(ctx, child, opts, prefs, {
      parentFilter,
      linkBase: `${entityUrl(ctx, info, found.id)}/${coll.name}`,
      contextPath: child.def.entitySetName,
    });
  }

  // Single property ------------------------------------------------------------------------------
  const column = info.propColumns.get(second.name);
  if (!column || third) throw err.segmentNotFound(second.raw);
  if (req.method === 'GET') {
    const v = isLookupKind(column) ? (isLookupValue(row[column.name]) ? (row[column.name] as LookupValue).id : null) : row[column.name];
    if (v === null || v === undefined) return emptyResponse(204);
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx.apiBase}/$metadata#${info.def.entitySetName}(${found.id})/${second.name}`,
    };
    if (annotationMatcher(prefs.annotations)(ANN.formatted)) {
      const sel = { props: [second.name], listed: null, expand: [] };
      Object.assign(
        body,
        Object.fromEntries(
          Object.entries(serializeRow(serializeContext(ctx.store, ctx.apiBase, annotationMatcher(prefs.annotations)), info, row, sel))
            .filter(([k]) => k.startsWith(`${second.name}@`))
            .map(([k, val]) => [`value@${k.split('@')[1] ?? ''}`, val]),
        ),
      );
    }
    body.value = column.kind === 'money' ? v : v;
    return jsonResponse(200, stringify(body));
  }
  if (isLookupKind(column)) throw err.methodNotAllowed(req.method);
  if (req.method === 'PUT') {
    const body = parseBody(req, info) as { value?: unknown };
    if (!('value' in (body as object)))
      throw err.payload(info.def.entitySetName, "The 'value' property is required when updating a single property.");
    const payload = readPayload(ctx, info, { [column.name]: body.value }, 'update');
    ctx.store.transaction(() => updateRow(ctx, info, row, payload.values));
    return emptyResponse(204);
  }
  if (req.method === 'DELETE') {
    const payload = readPayload(ctx, info, { [column.name]: null }, 'update');
    ctx.store.transaction(() => updateRow(ctx, info, row, payload.values));
    return emptyResponse(204);
  }
  throw err.methodNotAllowed(req.method);
}
