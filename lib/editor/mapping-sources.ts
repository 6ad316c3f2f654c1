/**
 * What a step can take values from, without a test run: the trigger's and every upstream step's
 * outputs, typed from the connector's output forms and the account's table metadata. Each source
 * field becomes an expression (`$trigger.record.lastname`, `$steps.<id>.output.id`) with a label a
 * person reads ("New lead › Last name"). Pure: the caller passes what it fetched.
 */
import { parseId } from '@/lib/dynamics/connector/ids';
import type { FormDescription } from '@/lib/forms/describe-form';
import type { ColumnSchema } from '@/lib/dynamics/metadata/types';
import { buildGraph } from '@/lib/flows/model/graph';
import type { FlowDocument } from '@/lib/flows/model/schema';
import type { EditorDocument, EditorNode } from './editor-document';

export interface SourceField {
  /** The JSONata path it maps to. */
  path: string;
  label: string;
  type?: string;
}

export interface SourceGroup {
  nodeId: string;
  title: string;
  fields: SourceField[];
}

export interface SourceContext {
  title(node: EditorNode): string;
  /** Columns of a table as the step's account sees it (undefined while loading). */
  columns(accountId: string | undefined, table: string): readonly ColumnSchema[] | undefined;
  /** The output form of a Dynamics action step. */
  outputForm(accountId: string | undefined, type: string): FormDescription | undefined;
}

const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;
const seg = (name: string) => (ident.test(name) ? name : `\`${name}\``);
export const stepPath = (nodeId: string, rest: string) => `$steps.${seg(nodeId)}.output${rest ? `.${rest}` : ''}`;

/** The steps before `nodeId` (its ancestors), trigger first, in document order. */
export function upstreamNodes(doc: EditorDocument, nodeId: string): EditorNode[] {
  const graph = buildGraph(doc as unknown as FlowDocument);
  const ancestors = graph.ancestors(nodeId);
  // Inside a For each body, the For each itself is an ancestor through its `each` edge already.
  return doc.nodes.filter((n) => ancestors.has(n.id));
}

export function sourcesFor(doc: EditorDocument, nodeId: string, ctx: SourceContext): SourceGroup[] {
  const groups: SourceGroup[] = [];
  for (const node of upstreamNodes(doc, nodeId)) {
    const title = ctx.title(node);
    const parsed = parseId(node.type);
    if (parsed?.event) {
      const cols = ctx.columns(node.params.accountId, parsed.table) ?? [];
      groups.push({
        nodeId: node.id,
        title,
        fields: [
          { path: '$trigger.id', label: `${title} › Record id`, type: 'string' },
          ...(parsed.event === 'deleted'
            ? []
            : cols
                .filter((c) => c.validForRead)
                .map((c) => ({ path: `$trigger.record.${seg(c.logicalName)}`, label: `${title} › ${c.displayName}`, type: c.type }))),
        ],
      });
    } else if (parsed?.action) {
      const form = ctx.outputForm(node.params.accountId, node.type);
      groups.push({
        nodeId: node.id,
        title,
        fields: (form?.fields ?? []).map((f) => ({ path: stepPath(node.id, f.name), label: `${title} › ${f.label}`, type: f.type })),
      });
    } else {
      const fields = toolboxOutputs(node).map((f) => ({ ...f, label: `${title} › ${f.label}` }));
      if (fields.length) groups.push({ nodeId: node.id, title, fields });
    }
  }
  return groups;
}

/** The outputs of the non-Dynamics steps (the executors' documented outputs). */
function toolboxOutputs(node: EditorNode): SourceField[] {
  const inputs = node.params.inputs;
  switch (node.type) {
    case 'api.request':
      return [
        { path: '$trigger.body', label: 'Request body', type: 'object' },
        { path: '$trigger.query', label: 'Query parameters', type: 'object' },
        { path: '$trigger.headers', label: 'Request headers', type: 'object' },
        ...sampleFields('$trigger.body', (inputs.bodySchema as { properties?: Record<string, unknown> } | undefined)?.properties),
      ];
    case 'manual.trigger':
      return [{ path: '$trigger', label: 'Trigger data', type: 'object' }, ...sampleFields('$trigger', inputs.samplePayload)];
    case 'scheduler.schedule':
      return [
        { path: '$trigger.firedAt', label: 'Fired at', type: 'datetime' },
        { path: '$trigger.scheduledFor', label: 'Scheduled for', type: 'datetime' },
      ];
    case 'http.request':
      return [
        { path: stepPath(node.id, 'status'), label: 'Status', type: 'integer' },
        { path: stepPath(node.id, 'body'), label: 'Response body', type: 'any' },
        { path: stepPath(node.id, 'headers'), label: 'Response headers', type: 'object' },
      ];
    case 'toolbox.set_variable':
      return typeof inputs.variable === 'string' && ident.test(inputs.variable)
        ? [{ path: `$vars.${inputs.variable}`, label: `Variable ${inputs.variable}`, type: 'any' }]
        : [];
    case 'toolbox.for_each':
      return [
        { path: '$item', label: 'Current item', type: 'any' },
        { path: '$index', label: 'Current position (from 0)', type: 'integer' },
      ];
    case 'toolbox.if':
      return [{ path: stepPath(node.id, 'result'), label: 'Result', type: 'boolean' }];
    default:
      return [];
  }
}

/** Top-level keys of a sample object (or a JSON Schema's properties) as fields. */
function sampleFields(base: string, sample: unknown): SourceField[] {
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) return [];
  return Object.keys(sample)
    .slice(0, 50)
    .map((k) => ({ path: `${base}.${seg(k)}`, label: k, type: 'any' }));
}

/** A mapped value's chip text: the source's label when the expression is exactly a source path. */
export function describeMapping(
  value: unknown,
  groups: readonly SourceGroup[],
): { kind: 'source' | 'expression'; text: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const expr = (value as { expr?: unknown }).expr;
  if (typeof expr === 'string') {
    const text = expr.trim();
    for (const g of groups) for (const f of g.fields) if (f.path === text) return { kind: 'source', text: f.label };
    return { kind: 'expression', text };
  }
  const ref = (value as { ref?: { step?: unknown; path?: unknown } }).ref;
  if (ref && typeof ref.step === 'string') {
    const path = stepPath(ref.step, typeof ref.path === 'string' ? ref.path.replace(/^output\.?/, '') : '');
    for (const g of groups) for (const f of g.fields) if (f.path === path) return { kind: 'source', text: f.label };
    return { kind: 'expression', text: path };
  }
  return undefined;
}
