/**
 * Schema drift: compares two snapshots of a table and reports what breaks the flows that use it —
 * a mapped column removed, retyped, no longer writable, or a choice value that disappeared.
 * Pure; callers take the previous snapshot from the cache (or storage) and the current one from a
 * refresh.
 */
import type { ColumnSchema, TableSchema } from './types';

export type DriftKind = 'table_removed' | 'column_removed' | 'column_retyped' | 'not_writable' | 'choice_removed' | 'lookup_target_removed';

export interface DriftFinding {
  kind: DriftKind;
  table: string;
  column?: string;
  message: string;
}

export interface DriftOptions {
  /** Columns the flow maps (logical names). Omitted: every column of the previous snapshot. */
  mappedColumns?: readonly string[];
  /** Whether the flow writes the mapped columns on create/update (writability changes matter only then). */
  writes?: 'create' | 'update';
}

/**
 * @example
 * detectDrift(before, after, { mappedColumns: ['new_stage'] })
 * // [{ kind: 'column_retyped', table: 'new_project', column: 'new_stage', message: '…' }]
 */
export function detectDrift(previous: TableSchema, current: TableSchema | null, options: DriftOptions = {}): DriftFinding[] {
  const table = previous.logicalName;
  if (!current)
    return [
      { kind: 'table_removed', table, message: `The table ${previous.displayName} (${table}) no longer exists or can no longer be used.` },
    ];
  const before = new Map(previous.columns.map((c) => [c.logicalName, c]));
  const after = new Map(current.columns.map((c) => [c.logicalName, c]));
  const names = options.mappedColumns ?? [...before.keys()];
  const findings: DriftFinding[] = [];
  for (const name of names) {
    const old = before.get(name);
    const now = after.get(name);
    const label = old ? `${old.displayName} (${name})` : name;
    if (!now) {
      findings.push({
        kind: 'column_removed',
        table,
        column: name,
        message: `The column ${label} was removed from ${current.displayName}.`,
      });
      continue;
    }
    if (old && old.type !== now.type) {
      findings.push({
        kind: 'column_retyped',
        table,
        column: name,
        message: `The column ${label} changed type from ${old.type} to ${now.type}.`,
      });
      continue;
    }
    if (options.writes && !writable(now, options.writes) && (!old || writable(old, options.writes))) {
      findings.push({
        kind: 'not_writable',
        table,
        column: name,
        message: `The column ${label} can no longer be set on ${options.writes}.`,
      });
    }
    if (old) findings.push(...removedChoices(table, label, old, now), ...removedTargets(table, label, old, now));
  }
  return findings;
}

const writable = (c: ColumnSchema, op: 'create' | 'update') => (op === 'create' ? c.validForCreate : c.validForUpdate);

function removedChoices(table: string, label: string, old: ColumnSchema, now: ColumnSchema): DriftFinding[] {
  const kept = new Set((now.choices ?? []).map((o) => o.value));
  return (old.choices ?? [])
    .filter((o) => !kept.has(o.value))
    .map((o) => ({
      kind: 'choice_removed' as const,
      table,
      column: old.logicalName,
      message: `The choice "${o.label}" (${o.value}) of ${label} was removed.`,
    }));
}

function removedTargets(table: string, label: string, old: ColumnSchema, now: ColumnSchema): DriftFinding[] {
  const kept = new Set((now.targets ?? []).map((t) => `${t.table}/${t.navigationProperty}`));
  return (old.targets ?? [])
    .filter((t) => !kept.has(`${t.table}/${t.navigationProperty}`))
    .map((t) => ({
      kind: 'lookup_target_removed' as const,
      table,
      column: old.logicalName,
      message: `${label} can no longer point to ${t.table} through ${t.navigationProperty}.`,
    }));
}
