import type { MigrationContext } from './migrations/001-to-002';
import { migrateDocument } from './migrate';
import type { Problem } from './problem';
import type { FlowDocument } from './schema';
import { validateDocument, type ValidateOptions } from './validate';

export type CheckFlowResult = { ok: true; document: FlowDocument } | { ok: false; document?: FlowDocument; problems: Problem[] };

/**
 * A stored or submitted document end to end: migrate, parse, then validate the structure. The
 * document comes back with structural problems too (the editor still shows a half-built flow);
 * only a document that fails to parse comes back without one.
 */
export function checkFlow(raw: unknown, options: ValidateOptions & { migration?: MigrationContext } = {}): CheckFlowResult {
  const migrated = migrateDocument(raw, options.migration);
  if (!migrated.ok) return migrated;
  const problems = validateDocument(migrated.document, options);
  return problems.length ? { ok: false, document: migrated.document, problems } : { ok: true, document: migrated.document };
}
