import { z } from 'zod';
import { checkFlow } from '../model/check-flow';
import { kindOf } from '../model/node-kinds';
import type { Problem } from '../model/problem';
import { CURRENT_SCHEMA_VERSION, draftDocumentSchema, type DraftDocument, type FlowDocument } from '../model/schema';

/**
 * The portable flow file (export/import and templates share it; the contract is
 * docs/flow-document.md "Export and import"). The envelope is checked here; the `flow` inside is a
 * flow document and goes through the model's own migrations and schema (parse-portable-flow.ts).
 */
export const FLOW_FORMAT = 'dynamics-flow-designer/flow';
export const TEMPLATE_FORMAT = 'dynamics-flow-designer/template';
export const PORTABLE_FORMATS = [FLOW_FORMAT, TEMPLATE_FORMAT] as const;
export type PortableFormat = (typeof PORTABLE_FORMATS)[number];

/** The envelope's own version; a file with a higher one was written by a newer app and is refused (`newer_format`). */
export const CURRENT_FORMAT_VERSION = 1;

/** A placeholder's name: what a Dynamics step's `accountId` holds in the file instead of a real account id. */
export const PLACEHOLDER_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
export const MAX_PLACEHOLDERS = 50;

export const placeholderKeySchema = z
  .string()
  .regex(PLACEHOLDER_PATTERN, 'a placeholder name: a lowercase letter, then up to 39 of a-z, 0-9, -');

export const placeholderSchema = z.strictObject({ label: z.string().trim().min(1).max(200) });

export const templateInfoSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  summary: z.string().trim().min(1).max(1_000),
  timeSaved: z.string().trim().min(1).max(500),
  keywords: z.array(z.string().trim().min(1).max(100)).max(30).default([]),
});
export type TemplateInfo = z.output<typeof templateInfoSchema>;

/** Everything but `flow`: that one is the model's to read, so its problems come in the model's words. */
export const portableEnvelopeSchema = z
  .strictObject({
    format: z.enum(PORTABLE_FORMATS),
    formatVersion: z.literal(CURRENT_FORMAT_VERSION),
    template: templateInfoSchema.optional(),
    accounts: z
      .record(placeholderKeySchema, placeholderSchema)
      .refine((accounts) => Object.keys(accounts).length <= MAX_PLACEHOLDERS, `at most ${MAX_PLACEHOLDERS} account placeholders`)
      .default({}),
    flow: z.unknown(),
  })
  .superRefine((file, ctx) => {
    if (file.format === TEMPLATE_FORMAT && !file.template) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: 'a template file has a template block (title, summary, timeSaved)' });
    }
    if (file.format === FLOW_FORMAT && file.template) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: `only a ${TEMPLATE_FORMAT} file has a template block` });
    }
  });

/** A parsed portable file: the flow is a current-version document whose Dynamics steps name placeholders. */
export interface PortableFlow {
  format: PortableFormat;
  formatVersion: typeof CURRENT_FORMAT_VERSION;
  template?: TemplateInfo;
  accounts: Record<string, { label: string }>;
  /** A full document, or a half-built draft (an export of a flow still being built): imported as a draft either way. */
  flow: FlowDocument | DraftDocument;
  /** What the model's structural checks find (the imported draft lists them until they are fixed). */
  problems: Problem[];
}

export type PortableFlowErrorCode =
  | 'too_large'
  | 'too_deep'
  | 'not_yaml'
  | 'wrong_format'
  | 'newer_format'
  | 'newer_schema'
  | 'unknown_node_type'
  | 'invalid_document'
  | 'undeclared_placeholder'
  | 'unused_placeholder';

export interface PortableFlowError {
  code: PortableFlowErrorCode;
  message: string;
  problems?: Problem[];
}

export type ParsePortableResult = { ok: true; portable: PortableFlow } | { ok: false; error: PortableFlowError };

export type ReadFlowResult =
  { ok: true; flow: FlowDocument | DraftDocument; problems: Problem[] } | { ok: false; error: PortableFlowError };

/**
 * The `flow` of a portable file, read the way a submitted flow is (lib/flows/service/parse-document.ts):
 * migrated from any older schemaVersion and parsed by the model; a half-built draft keeps its
 * structural problems. Refused: a newer schemaVersion, a node type outside the catalog, anything
 * the model cannot read.
 */
export function readPortableFlowDocument(raw: unknown): ReadFlowResult {
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      error: {
        code: 'newer_schema',
        message: `This flow was saved by a newer version of the app (flow schema version ${version}; this one reads up to ${CURRENT_SCHEMA_VERSION}). Update the app to import it.`,
      },
    };
  }
  const unknownTypes = unknownNodeTypes(raw);
  if (unknownTypes.length) {
    const names = [...new Set(unknownTypes.map((p) => p.type))].map((t) => `"${t}"`).join(', ');
    return {
      ok: false,
      error: {
        code: 'unknown_node_type',
        message: `The flow uses a step type this app does not have: ${names}.`,
        problems: unknownTypes.map(({ nodeId, type }) => ({
          ...(nodeId ? { nodeId } : {}),
          field: 'type',
          code: 'unknown_node_type',
          message: `"${type}" is not a node type of the catalog`,
        })),
      },
    };
  }
  const checked = checkFlow(raw);
  const problems = checked.ok ? [] : checked.problems;
  if (checked.document) return { ok: true, flow: checked.document, problems };
  const draft = draftDocumentSchema.safeParse(raw);
  if (draft.success) return { ok: true, flow: draft.data, problems };
  return { ok: false, error: { code: 'invalid_document', message: 'The flow in this file cannot be read; see the problems.', problems } };
}

function unknownNodeTypes(raw: unknown): { nodeId?: string; type: string }[] {
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const found: { nodeId?: string; type: string }[] = [];
  for (const node of nodes as unknown[]) {
    const { id, type } = (node ?? {}) as { id?: unknown; type?: unknown };
    if (typeof type === 'string' && !kindOf(type)) found.push({ ...(typeof id === 'string' ? { nodeId: id } : {}), type });
  }
  return found;
}
