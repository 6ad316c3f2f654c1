import { normalizeColumns } from './normalize-columns';
import { normalizeKeys } from './normalize-keys';
import { normalizeManyToMany } from './normalize-many-to-many';
import { normalizeTableSummary } from './normalize-table';
import type { RawTableParts } from './raw-types';
import type { TableSchema } from './types';

export class UnusableTableError extends Error {
  constructor(readonly table: string) {
    super(`The table "${table}" cannot be used through the Web API (no entity set, or an intersect/private table).`);
    this.name = 'UnusableTableError';
  }
}

/**
 * Pure: the raw answers of discovery for one table → TableSchema.
 * @example normalizeTableSchema({ entity, attributes, enumAttributes, relationships, keys }).columns
 */
export function normalizeTableSchema(parts: RawTableParts): TableSchema {
  const summary = normalizeTableSummary(parts.entity);
  if (!summary) throw new UnusableTableError(parts.entity.LogicalName);
  const columns = normalizeColumns(parts);
  const known = new Set(columns.map((c) => c.logicalName));
  // A key on a column we do not expose (e.g. a helper column) could not be filled in by the user.
  const alternateKeys = normalizeKeys(parts.keys).filter((k) => k.columns.every((c) => known.has(c)));
  return { ...summary, columns, alternateKeys, manyToMany: normalizeManyToMany(summary.logicalName, parts.manyToMany ?? []) };
}
