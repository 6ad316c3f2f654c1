/**
 * Key segments: `accounts(<guid>)`, `accounts(accountid=<guid>)`, alternate keys
 * `accounts(accountnumber='ABC123')`, multi-part keys and lookup parts
 * `accounts(_primarycontactid_value=<guid>)`. A key that matches neither the primary key nor a
 * declared alternate key is 400 with Dataverse's "The key in the request URI is not valid…" message.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record
 */
import { err } from '../errors';
import type { TableInfo } from '../model/schema';
import type { OrgStore } from '../store';
import type { Row } from '../tables/types';
import { normalizeGuid } from '../util/guid';
import { splitTop } from './query-options';

export type ParsedKey = { kind: 'id'; id: string } | { kind: 'alt'; keyName: string; values: unknown[]; columns: string[]; raw: string };

function parseKeyLiteral(raw: string): unknown {
  const v = raw.trim();
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  const g = normalizeGuid(v);
  if (g) return g;
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

export function parseKey(info: TableInfo, text: string): ParsedKey {
  const trimmed = text.trim();
  const bare = normalizeGuid(trimmed);
  if (bare) return { kind: 'id', id: bare };
  if (!trimmed.includes('=')) throw err.badGuid(trimmed);
  const pairs = new Map<string, unknown>();
  for (const part of splitTop(trimmed, ',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw err.invalidKey(info.name);
    const name = part.slice(0, eq).trim();
    const value = parseKeyLiteral(part.slice(eq + 1));
    if (value === undefined) throw err.invalidKey(info.name);
    // `_x_value` parts address the lookup column x.
    const m = /^_(.+)_value$/.exec(name);
    pairs.set(m?.[1] ?? name, value);
  }
  if (pairs.size === 1 && pairs.has(info.def.primaryId)) {
    const id = pairs.get(info.def.primaryId);
    if (typeof id !== 'string' || !normalizeGuid(id)) throw err.badGuid(String(id));
    return { kind: 'id', id };
  }
  for (const k of info.def.alternateKeys) {
    if (k.columns.length === pairs.size && k.columns.every((c) => pairs.has(c))) {
      return { kind: 'alt', keyName: k.logicalName, values: k.columns.map((c) => pairs.get(c)), columns: k.columns, raw: trimmed };
    }
  }
  throw err.invalidKey(info.name);
}

export function findByKey(store: OrgStore, info: TableInfo, key: ParsedKey): { id: string; row: Row } | null {
  if (key.kind === 'id') {
    const row = store.get(info.name, key.id);
    return row ? { id: key.id, row } : null;
  }
  const id = store.findByKey(info.name, key.keyName, key.values);
  const row = id ? store.get(info.name, id) : undefined;
  return id && row ? { id, row } : null;
}

export function notFoundFor(info: TableInfo, key: ParsedKey): ReturnType<typeof err.notFound> {
  return key.kind === 'id' ? err.notFound(info.name, key.id) : err.notFoundByKey(info.name, key.raw);
}
