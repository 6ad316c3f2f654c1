/**
 * Stable ids for actions and events: `dynamics.<table logical name>.<kind>`, e.g.
 * `dynamics.account.create`, `dynamics.salesorder.upsert`, `dynamics.new_project.retrieve`,
 * `dynamics.contact.new_or_updated`. Logical names and kinds are `[a-z0-9_]`, so the three dot-
 * separated parts parse back unambiguously. Flows store these ids; never rename a kind.
 */
import { isLogicalName } from '../metadata/names';
import type { ActionKind, EventKind } from './define';

export const CONNECTOR_ID = 'dynamics';
export const ACTION_KINDS: readonly ActionKind[] = ['create', 'retrieve', 'update', 'upsert', 'delete', 'relate', 'unrelate'];
export const EVENT_KINDS: readonly EventKind[] = ['new', 'updated', 'new_or_updated', 'deleted'];

/** @example actionId('account', 'create') // 'dynamics.account.create' */
export const actionId = (table: string, kind: ActionKind) => `${CONNECTOR_ID}.${table}.${kind}`;
/** @example eventId('lead', 'new') // 'dynamics.lead.new' */
export const eventId = (table: string, kind: EventKind) => `${CONNECTOR_ID}.${table}.${kind}`;

export type ParsedId = { table: string; action: ActionKind; event?: never } | { table: string; event: EventKind; action?: never };

/** @example parseId('dynamics.new_project.upsert') // { table: 'new_project', action: 'upsert' } */
export function parseId(id: string): ParsedId | null {
  const parts = id.split('.');
  if (parts.length !== 3 || parts[0] !== CONNECTOR_ID) return null;
  const [, table, kind] = parts as [string, string, string];
  if (!isLogicalName(table)) return null;
  const action = ACTION_KINDS.find((k) => k === kind);
  if (action) return { table, action };
  const event = EVENT_KINDS.find((k) => k === kind);
  return event ? { table, event } : null;
}
