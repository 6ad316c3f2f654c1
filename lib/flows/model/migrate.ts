import type { z } from 'zod';
import { migrate001To002, type MigrationContext } from './migrations/001-to-002';
import type { Problem } from './problem';
import { CURRENT_SCHEMA_VERSION, flowDocumentSchema, type FlowDocument } from './schema';
import { flowDocumentV1Schema } from './schema-v1';

export type MigrateResult = { ok: true; document: FlowDocument; fromVersion: number } | { ok: false; problems: Problem[] };

/** Turns zod issues into problems; a path under `nodes.<i>` names that node by its id. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], raw: unknown): Problem[] {
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  return issues.map((issue) => {
    const path = issue.path.map(String);
    if (path[0] === 'nodes' && path.length >= 2 && Array.isArray(nodes)) {
      const id = (nodes[Number(path[1])] as { id?: unknown } | undefined)?.id;
      const field = path.slice(2).join('.') || undefined;
      return { ...(typeof id === 'string' ? { nodeId: id } : {}), ...(field ? { field } : {}), code: 'schema', message: issue.message };
    }
    return { ...(path.length ? { field: path.join('.') } : {}), code: 'schema', message: issue.message };
  });
}

/**
 * Reads a stored document of any known version, lifts it step by step to the current one and
 * parses it. Never guesses: a version from the future (written by a newer app) is refused, so an
 * older server cannot save it back with the fields it does not know dropped.
 *
 * @example migrateDocument({ schemaVersion: 1, nodes: [{ id: 'trigger', type: 'dynamics.lead.new', params: { accountId: 'a1' } }], edges: [] })
 */
export function migrateDocument(raw: unknown, context: MigrationContext = {}): MigrateResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ code: 'not_a_document', message: 'A flow document is a JSON object.' }] };
  }
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, problems: [{ field: 'schemaVersion', code: 'no_version', message: 'The document has no valid schemaVersion.' }] };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      problems: [
        {
          field: 'schemaVersion',
          code: 'future_version',
          message: `This flow was saved by a newer version of the app (schema version ${version}; this one reads up to ${CURRENT_SCHEMA_VERSION}). Update the app to open it.`,
        },
      ],
    };
  }
  let current: unknown = raw;
  if (version === 1) {
    const v1 = flowDocumentV1Schema.safeParse(raw);
    if (!v1.success) return { ok: false, problems: issuesToProblems(v1.error.issues, raw) };
    current = migrate001To002(v1.data, context);
  }
  const parsed = flowDocumentSchema.safeParse(current);
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error.issues, current) };
  return { ok: true, document: parsed.data, fromVersion: version };
}
