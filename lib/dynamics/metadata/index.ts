export * from './types';
export { discoverTable, discoverTables, MetadataShapeError } from './discover';
export { MetadataCache, metadataCache, DEFAULT_METADATA_TTL_MS, type MetadataPersistence, type CachedMetadata } from './metadata-cache';
export { detectDrift, type DriftFinding, type DriftKind, type DriftOptions } from './schema-drift';
export { normalizeTableSchema, UnusableTableError } from './normalize-table-schema';
export { normalizeTableList, normalizeTableSummary, isUsableTable } from './normalize-table';
export { assertLogicalName, isLogicalName, InvalidNameError, LOGICAL_NAME_PATTERN } from './names';
export { metadataPaths } from './metadata-paths';
