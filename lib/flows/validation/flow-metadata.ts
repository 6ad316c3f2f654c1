import type { TableDirectory, TableSchema } from '@/lib/dynamics/metadata/types';

/**
 * What the metadata checks know about each account a flow uses, loaded beforehand (load-metadata.ts)
 * so the checks stay pure. A table that could not be loaded carries the reason instead of its schema.
 */
export type AccountMetadata =
  | { status: 'missing' }
  | { status: 'needs_reconnect'; name: string; reason: string }
  | { status: 'unreachable'; message: string }
  | { status: 'ok'; name: string; directory: TableDirectory; tables: ReadonlyMap<string, TableSchema | { error: string }> };

/** By account id. */
export type FlowMetadata = ReadonlyMap<string, AccountMetadata>;
