import { z } from 'zod';
import type { TableSchema } from '../../metadata/types';

/** A row as actions return it, for the editor's mapping picker: every readable column, labelled. */
export function recordSchema(table: TableSchema) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of table.columns) {
    if (!c.validForRead) continue;
    const key = c.targets ? `_${c.logicalName}_value` : c.logicalName;
    shape[key] = z.unknown().optional().meta({ title: c.displayName, 'x-column': c.logicalName, 'x-type': c.type });
  }
  return z.looseObject(shape).meta({ title: table.displayName });
}
