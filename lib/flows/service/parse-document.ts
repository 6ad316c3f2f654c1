import { unprocessable } from '@/lib/errors/domain-error';
import { checkFlow } from '../model/check-flow';
import type { FlowDocument } from '../model/schema';

/**
 * A submitted document migrated and parsed, or `document_invalid` (422) with its problems. Only
 * parse failures refuse a save: a half-built flow with structural problems is still a draft.
 */
export function parseSubmittedDocument(raw: unknown): FlowDocument {
  const result = checkFlow(raw);
  if (!result.document) {
    const problems = result.ok ? [] : result.problems;
    throw unprocessable('document_invalid', 'The flow document cannot be read; see the problems.', { problems });
  }
  return result.document;
}
