/**
 * Many-to-many navigation: rows related through an intersect table. Associate with
 * `POST <set>(<id>)/<nav>/$ref` and `{"@odata.id": "<url>"}`; disassociate with
 * `DELETE <set>(<id>)/<nav>/$ref?$id=<url>` or `DELETE <set>(<id>)/<nav>(<id>)/$ref` (204 either
 * way); list with `GET <set>(<id>)/<nav>` (a query like any collection), `/$ref` and `/$count`.
 * Associating a pair twice is Dataverse's duplicate error (412 0x80040237 "Cannot insert duplicate
 * key."); a reference to a row of another table than the relationship's is 400; disassociating a
 * pair that is not associated succeeds, as the platform's Disassociate does.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/org-service/entity-operations-associate-disassociate
 */
import { DataverseError, codes, err } from '../errors';
import type { NavManyToMany, TableInfo } from '../model/schema';
import { findByKey, parseKey } from '../odata/keys';
import type { Preferences } from '../odata/prefer';
import type { QueryOptions } from '../odata/query-options';
import { associate, disassociate, relatedIds } from '../model/associations';
import type { Row } from '../tables/types';
import { emptyResponse, jsonResponse, type ApiContext, type ApiRequest, type ApiResponse } from './api-types';
import { resolveReference } from './payload';
import { countCollection, queryCollection } from './query';
import type { Segment } from './segments';

function referencedId(ctx: ApiContext, info: TableInfo, nav: NavManyToMany, url: string): string {
  const ref = resolveReference(ctx, url, info.def.entitySetName);
  if (ref.table.name !== nav.target) throw err.badRequest(`The entity reference must be of type '${nav.target}'.`);
  return ref.id;
}

export function handleManyToMany(
  ctx: ApiContext,
  req: ApiRequest,
  info: TableInfo,
  id: string,
  nav: NavManyToMany,
  segs: Segment[],
  opts: QueryOptions,
  prefs: Preferences,
  parseBody: () => unknown,
): ApiResponse {
  const [, second, third, fourth] = segs;
  const target = ctx.store.schema.tables.get(nav.target);
  if (!second || !target) throw err.segmentNotFound(nav.name);
  const base = `${ctx.apiBase}/${info.def.entitySetName}(${id})/${nav.name}`;
  const refSegment = third?.name === '$ref' ? third : fourth?.name === '$ref' ? fourth : undefined;
  if (refSegment) {
    if ((third?.name === '$ref' && fourth) || (fourth?.name === '$ref' && segs.length > 4)) throw err.segmentNotFound(segs[4]?.raw ?? '');
    if (req.method === 'POST' && third?.name === '$ref' && second.key === null) {
      const body = parseBody() as { '@odata.id'?: unknown };
      if (typeof body !== 'object' || body === null || typeof body['@odata.id'] !== 'string')
        throw err.payload(info.def.entitySetName, "The '@odata.id' property is required in an entity reference payload.");
      const otherId = referencedId(ctx, info, nav, body['@odata.id']);
      ctx.store.transaction(() => associate(ctx.store, nav, id, otherId));
      return emptyResponse(204);
    }
    if (req.method === 'DELETE') {
      let otherId: string | null = null;
      if (second.key !== null) {
        const found = findByKey(ctx.store, target, parseKey(target, second.key));
        otherId = found?.id ?? (parseKey(target, second.key) as { id?: string }).id ?? null;
      } else {
        const idParam = new URLSearchParams(req.search).get('$id');
        if (idParam) otherId = referencedId(ctx, info, nav, idParam);
      }
      if (!otherId) throw new DataverseError(400, codes.queryInvalid, "The value of $id '?%24id=' is invalid.");
      const other = otherId;
      ctx.store.transaction(() => disassociate(ctx.store, nav, id, other));
      return emptyResponse(204);
    }
    if (req.method === 'GET' && third?.name === '$ref' && second.key === null) {
      const value = relatedIds(ctx.store, nav, id)
        .filter((r) => ctx.store.get(target.name, r))
        .map((r) => ({ '@odata.id': `${ctx.apiBase}/${target.def.entitySetName}(${r})` }));
      return jsonResponse(200, JSON.stringify({ '@odata.context': `${ctx.apiBase}/$metadata#Collection($ref)`, value }));
    }
    throw err.methodNotAllowed(req.method);
  }
  const related = new Set(relatedIds(ctx.store, nav, id));
  const parentFilter = (r: Row): boolean => related.has(String(r[target.def.primaryId]));
  if (third?.name === '$count' && !fourth && req.method === 'GET') {
    const res = countCollection(ctx, target, opts, parentFilter);
    // Counts of navigation collections are preceded by a UTF-8 BOM, as Learn's retrieve examples show.
    return { ...res, body: `\uFEFF${res.body ?? ''}` };
  }
  if (third || second.key !== null) throw err.segmentNotFound((third ?? second).raw);
  if (req.method !== 'GET') throw err.methodNotAllowed(req.method);
  return queryCollection(ctx, target, opts, prefs, { parentFilter, linkBase: base, contextPath: target.def.entitySetName });
}
