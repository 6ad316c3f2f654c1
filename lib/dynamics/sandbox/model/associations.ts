/**
 * Many-to-many associations: each is a row of the relationship's intersect table holding the two
 * ids. Associating a pair twice is the platform's duplicate error; removing a pair that is not
 * associated is a no-op; a deleted row's associations go with it.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/org-service/entity-operations-associate-disassociate
 */
import { DataverseError, codes, err } from '../errors';
import type { OrgStore } from '../store';
import type { Row } from '../tables/types';
import { newGuid } from '../util/guid';
import type { NavManyToMany, TableInfo } from './schema';

/** Ids of the rows related to `id` through the relationship, in association order. */
export function relatedIds(store: OrgStore, nav: NavManyToMany, id: string): string[] {
  const out: string[] = [];
  for (const r of store.rows(nav.relationship.intersect)) if (r[nav.selfAttribute] === id) out.push(String(r[nav.targetAttribute]));
  return out;
}

function intersectRowId(store: OrgStore, nav: NavManyToMany, id: string, otherId: string): string | undefined {
  const pk = store.schema.tables.get(nav.relationship.intersect)?.def.primaryId ?? '';
  for (const r of store.rows(nav.relationship.intersect))
    if (r[nav.selfAttribute] === id && r[nav.targetAttribute] === otherId) return String(r[pk]);
  return undefined;
}

/** The association error Dataverse answers for a pair already associated (SDK text "Cannot insert duplicate key"). */
export const duplicateAssociation = (): DataverseError =>
  new DataverseError(412, codes.duplicateRecord, 'Cannot insert duplicate key.', 'DuplicateRecord');

export function associate(store: OrgStore, nav: NavManyToMany, id: string, otherId: string): void {
  if (intersectRowId(store, nav, id, otherId)) throw duplicateAssociation();
  const info = store.schema.tables.get(nav.relationship.intersect);
  if (!info) throw err.segmentNotFound(nav.name);
  const rowId = newGuid();
  const row: Row = {
    [info.def.primaryId]: rowId,
    [nav.selfAttribute]: id,
    [nav.targetAttribute]: otherId,
    versionnumber: store.nextVersion(),
  };
  store.put(info.name, rowId, row);
}

export function disassociate(store: OrgStore, nav: NavManyToMany, id: string, otherId: string): void {
  const rowId = intersectRowId(store, nav, id, otherId);
  if (rowId) store.remove(nav.relationship.intersect, rowId);
}

/** A deleted row's associations go with it. */
export function removeAssociationsOf(store: OrgStore, info: TableInfo, id: string): void {
  for (const nav of info.navManyToMany.values()) {
    const intersect = store.schema.tables.get(nav.relationship.intersect);
    if (!intersect) continue;
    const gone: string[] = [];
    for (const r of store.rows(intersect.name)) if (r[nav.selfAttribute] === id) gone.push(String(r[intersect.def.primaryId]));
    for (const rowId of gone) store.remove(intersect.name, rowId);
  }
}
