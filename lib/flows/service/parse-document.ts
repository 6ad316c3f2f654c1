import { unprocessable } from '@/lib/errors/domain-error';
import { checkFlow } from '../model/check-flow';
import { draftDocumentSchema, type DraftDocument, type FlowDocument } from '../model/schema';

/**
 * A submitted document migrated and parsed, or `document_invalid` (422) with its problems. A draft
 * whose steps are not finished (an input missing, an account not chosen) is still saved: it has the
 * document's shape, and its problems are listed with it until they are fixed — the editor saves
 * what a person is building, and starting refuses it until it is valid. Only a document without
 * that shape (unknown fields, wrong types of the document, its nodes or edges) is refused.
 */
export function parseSubmittedDocument(raw: unknown): FlowDocument | DraftDocument {
  const result = checkFlow(raw);
  if (result.document) return result.document;
  const draft = draftDocumentSchema.safeParse(raw);
  if (draft.success) return draft.data;
  const problems = result.ok ? [] : result.problems;
  throw unprocessable('document_invalid', 'The flow document cannot be read; see the problems.', { problems });
}
