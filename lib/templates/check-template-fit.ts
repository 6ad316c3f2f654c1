import { parseId } from '@/lib/dynamics/connector/ids';
import type { ColumnSchema, TableSchema } from '@/lib/dynamics/metadata/types';
import type { Problem } from '@/lib/flows/model/problem';
import type { DraftDocument, FlowDocument, FlowNode } from '@/lib/flows/model/schema';
import type { FlowMetadata } from '@/lib/flows/validation/flow-metadata';
import { valueAt } from '@/lib/flows/validation/dynamic-values';

/** How a mismatch can be fixed before the flow is made. */
export type TemplateFix =
  /** Drop the input at `field` of the node (`POST …/use` with `leaveOut: [{ nodeId, field }]`). */
  | { kind: 'leave_out'; field: string; text: string }
  /** Put one of `choices` at `field` (`values: [{ nodeId, field, value }]`), or leave it out. */
  | { kind: 'pick_value'; field: string; choices: { value: number; label: string }[]; text: string; leaveOut?: string }
  /** The account lacks the table itself: only another account fits. */
  | { kind: 'choose_account'; text: string }
  /** Dropping it would break the step: set a value that fits (`values`), or choose another account. */
  | { kind: 'edit'; text: string };

export interface TemplateMismatch {
  nodeId: string;
  nodeName: string;
  /** The problem's field: a dotted path inside the node (`params.inputs.fields.new_leadscore`). */
  field: string;
  code: string;
  message: string;
  fix: TemplateFix;
}

/** Problems that are about the account itself (it is missing, cannot sign in, cannot be reached): the check reports those per account. */
export const isAccountProblem = (p: Problem) => p.code.startsWith('account_');

const LEAVE_OUT = 'Leave this field out: the flow is made without it.';
const EDIT = 'Give this field a value that fits (values), or choose another account.';

/** The column a problem's field is about: a written field, or the column a condition or trigger rule tests. */
function columnNameAt(node: FlowNode | DraftDocument['nodes'][number], segments: string[]): string | undefined {
  if (segments[0] !== 'params' || segments[1] !== 'inputs') return undefined;
  const inInputs = segments.slice(2);
  if (inInputs[0] === 'fields' && inInputs[1]) return inInputs[1];
  // …conditions.<i>.value → that condition's field; …rules.<i>.right → that rule's column.
  const last = inInputs[inInputs.length - 1];
  const parent = valueAt(node.params.inputs, inInputs.slice(0, -1));
  if (last === 'value' && parent && typeof parent === 'object') {
    const field = (parent as { field?: unknown }).field;
    return typeof field === 'string' ? field : undefined;
  }
  if (last === 'right' && parent && typeof parent === 'object') {
    const column = (parent as { left?: { column?: unknown } }).left?.column;
    return typeof column === 'string' ? column : undefined;
  }
  return undefined;
}

/**
 * The part of the node that can be dropped without leaving it broken: a written field, a returned
 * column of a trigger, or a condition that is not the only one of its group (a whole trigger
 * condition block when it is its only rule). Undefined when dropping would break the step.
 */
function leaveOutPath(node: FlowNode | DraftDocument['nodes'][number], segments: string[]): string | undefined {
  if (segments[0] !== 'params' || segments[1] !== 'inputs') return undefined;
  const inInputs = segments.slice(2);
  if (inInputs[0] === 'fields' && inInputs.length >= 2) return ['params', 'inputs', 'fields', inInputs[1]].join('.');
  if (inInputs[0] === 'columns' && inInputs.length === 2) return segments.join('.');
  // A condition: …(conditions|rules).<i>.<part>
  for (let i = inInputs.length - 1; i >= 1; i--) {
    const list = inInputs[i - 1];
    if ((list === 'conditions' || list === 'rules') && /^\d+$/.test(inInputs[i]!)) {
      const siblings = valueAt(node.params.inputs, inInputs.slice(0, i));
      if (!Array.isArray(siblings)) return undefined;
      if (siblings.length > 1) return ['params', 'inputs', ...inInputs.slice(0, i + 1)].join('.');
      // The only rule of a trigger's conditions: the trigger then starts on every change.
      if (list === 'rules' && i === 2 && inInputs[0] === 'conditions') return 'params.inputs.conditions';
      return undefined;
    }
  }
  return undefined;
}

function columnOf(
  node: FlowNode | DraftDocument['nodes'][number],
  metadata: FlowMetadata,
  name: string | undefined,
): ColumnSchema | undefined {
  const table = parseId(node.type)?.table;
  const account = node.params.accountId ? metadata.get(node.params.accountId) : undefined;
  if (!table || !name || account?.status !== 'ok') return undefined;
  const schema = account.tables.get(table);
  return schema && !('error' in schema) ? (schema as TableSchema).columns.find((c) => c.logicalName === name) : undefined;
}

/**
 * What of a template does not fit the chosen accounts, per step and field, each with a way to fix
 * it. The problems are validateFlow's (the same checks the editor and Start use) on the template
 * bound to the accounts; this only reads them as mismatches and says what to do. Problems about an
 * account itself are left to the account check. Pure.
 *
 * @example templateMismatches(bound, problems, metadata)
 * // [{ nodeId: 'writeScore', field: 'params.inputs.fields.new_leadscore', code: 'unknown_column', fix: { kind: 'leave_out', … } }]
 */
export function templateMismatches(
  document: FlowDocument | DraftDocument,
  problems: readonly Problem[],
  metadata: FlowMetadata,
): TemplateMismatch[] {
  const nodes = new Map(document.nodes.map((n) => [n.id, n]));
  return problems.flatMap((p): TemplateMismatch[] => {
    if (isAccountProblem(p)) return [];
    const node = p.nodeId ? nodes.get(p.nodeId) : undefined;
    const field = p.field ?? '';
    const base = { nodeId: p.nodeId ?? '', nodeName: node?.name ?? node?.id ?? 'The flow', field, code: p.code, message: p.message };
    if (!node) return [{ ...base, fix: { kind: 'edit', text: EDIT } }];
    const segments = field.split('.');
    if (p.code === 'unknown_table') {
      return [{ ...base, fix: { kind: 'choose_account', text: 'Choose an account whose organization has this table.' } }];
    }
    const leaveOut = leaveOutPath(node, segments);
    if (p.code === 'unknown_choice') {
      const column = columnOf(node, metadata, columnNameAt(node, segments));
      const choices = (column?.choices ?? []).map(({ value, label }) => ({ value, label }));
      if (choices.length) {
        return [
          {
            ...base,
            fix: {
              kind: 'pick_value',
              field,
              choices,
              text: `Pick another value: ${choices.map((c) => `"${c.label}"`).join(', ')}${leaveOut ? ', or leave this field out' : ''}.`,
              ...(leaveOut ? { leaveOut } : {}),
            },
          },
        ];
      }
    }
    if (leaveOut) return [{ ...base, fix: { kind: 'leave_out', field: leaveOut, text: LEAVE_OUT } }];
    return [{ ...base, fix: { kind: 'edit', text: EDIT } }];
  });
}
