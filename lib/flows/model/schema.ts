import { z } from 'zod';
import { kindOf, ON_ERROR } from './node-kinds';
import { NODE_ID_PATTERN } from './node-ids';

/**
 * The flow document, version 2 (current). Every object is strict: an unknown field is refused, not
 * stripped, because a stripped typo (`onErorr`) would silently change what a flow does and a save
 * would then lose it for good. Per-kind `params.inputs` are parsed by the kind's own schema (from
 * node-kinds.ts), so defaults are filled in and a wrong field names its node.
 */
export const CURRENT_SCHEMA_VERSION = 2;

/** A flow's size ceiling: large enough for the biggest flows people build (the editor is measured at 1,000 steps), small enough to stay well inside the 1 MiB request limit. */
export const MAX_NODES = 2_000;
export const MAX_EDGES = 8_000;

const nodeId = z.string().regex(NODE_ID_PATTERN, 'an id of 1–64 letters, digits, _ or -');

export const positionSchema = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

export const retryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10),
  delaySeconds: z.number().min(0).max(3_600).default(5),
  backoff: z.enum(['fixed', 'exponential']).default('exponential'),
});

export const nodeParamsSchema = z.strictObject({
  accountId: z.string().min(1).max(64).optional(),
  inputs: z.record(z.string(), z.unknown()).default({}),
  retry: retryPolicySchema.optional(),
  onError: z.enum(ON_ERROR).optional(),
});

/** A node's shape, before its kind's own rules (type, account, inputs) are applied. */
export const nodeEnvelopeSchema = z.strictObject({
  id: nodeId,
  type: z.string().min(1).max(200),
  typeVersion: z.number().int().min(1),
  name: z.string().max(200).optional(),
  position: positionSchema,
  params: nodeParamsSchema,
});

export const nodeSchema = nodeEnvelopeSchema.transform((node, ctx) => {
  const kind = kindOf(node.type);
  if (!kind) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `"${node.type}" is not a node type of the catalog` });
    return z.NEVER;
  }
  if (!kind.typeVersions.includes(node.typeVersion)) {
    ctx.addIssue({ code: 'custom', path: ['typeVersion'], message: `${node.type} has no type version ${node.typeVersion}` });
  }
  if (kind.needsAccount && node.params.accountId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['params', 'accountId'], message: 'a Dynamics step needs the account it runs as' });
  }
  if (!kind.needsAccount && node.params.accountId !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['params', 'accountId'], message: `${node.type} runs without an account` });
  }
  if (!kind.handlesErrors && (node.params.retry !== undefined || node.params.onError !== undefined)) {
    const what = kind.category === 'trigger' ? 'a trigger' : kind.title;
    ctx.addIssue({ code: 'custom', path: ['params'], message: `${what} has no retry policy or on-error setting` });
  }
  const inputs = kind.inputs.safeParse(node.params.inputs);
  if (!inputs.success) {
    for (const issue of inputs.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['params', 'inputs', ...issue.path.map(String)], message: issue.message });
    }
    return z.NEVER;
  }
  return { ...node, params: { ...node.params, inputs: inputs.data as Record<string, unknown> } };
});

export const edgeSchema = z.strictObject({
  id: nodeId,
  from: z.strictObject({ node: nodeId, handle: z.string().regex(/^[a-z_]{1,32}$/) }),
  to: z.strictObject({ node: nodeId }),
});

export const flowDocumentSchema = z.strictObject({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  name: z.string().max(200),
  description: z.string().max(4_000).default(''),
  nodes: z.array(nodeSchema).max(MAX_NODES),
  edges: z.array(edgeSchema).max(MAX_EDGES),
});

/**
 * A draft as the editor saves it while a person builds it: the document's shape with every node's
 * envelope, but a node's kind-specific rules (its inputs, its account) not yet met. Stored with its
 * problems; it cannot be started or tested until the full schema and validation accept it.
 */
export const draftDocumentSchema = z.strictObject({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  name: z.string().max(200),
  description: z.string().max(4_000).default(''),
  nodes: z.array(nodeEnvelopeSchema).max(MAX_NODES),
  edges: z.array(edgeSchema).max(MAX_EDGES),
});
export type DraftDocument = z.output<typeof draftDocumentSchema>;

/** The parsed (and current) flow document. */
export type FlowDocument = z.output<typeof flowDocumentSchema>;
export type FlowNode = FlowDocument['nodes'][number];
export type FlowEdge = FlowDocument['edges'][number];
/** What may be handed to the schema: defaults not yet filled in. */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;

/** `FlowDocument` as the brief names it: the zod schema of the current version. */
export const FlowDocument = flowDocumentSchema;
