import type { z } from 'zod';
import type { ActionKind } from '@/lib/dynamics/connector/define';
import { dynamicsConnector } from '@/lib/dynamics/connector/dynamics-connector';
import type { ColumnSchema, TableDirectory, TableSchema } from '@/lib/dynamics/metadata/types';
import type { Problem } from '../model/problem';
import type { FlowNode } from '../model/schema';
import { actionConditionsProblems } from './condition-checks';
import { DYNAMIC, literalView, startsWith, valueAt } from './dynamic-values';
import { fetchXmlProblems } from './fetch-xml-checks';
import { columnLabel, preview, settingMessage, valueTypeMessage } from './problem-text';

/** Where each action keeps its conditions (checked condition by condition, not through the schema's single refinement). */
const CONDITIONS_AT: Record<ActionKind, readonly string[]> = {
  create: [],
  retrieve: ['conditions'],
  update: ['match', 'conditions'],
  delete: ['match', 'conditions'],
  upsert: ['match', 'conditions'],
  relate: [],
  unrelate: [],
};

const WRITING: Record<ActionKind, string> = {
  create: 'when creating a record',
  update: 'when updating a record',
  upsert: 'when writing a record',
  retrieve: '',
  delete: '',
  relate: '',
  unrelate: '',
};

const CHOICE_TYPES = new Set<ColumnSchema['type']>(['choice', 'multichoice', 'state', 'status', 'boolean']);
const LOOKUP_TYPES = new Set<ColumnSchema['type']>(['lookup', 'customer', 'owner']);

type Issue = z.core.$ZodIssue;

/**
 * A Dynamics action's inputs against its table: parsed with the action's own input schema (the one
 * the editor's form comes from and the runtime validates with), on the literal-only view of the
 * inputs. What the schema says about an expression or a reference is set aside, since only the run
 * knows their values; every other issue becomes a problem naming the column, in plain words.
 */
export function actionProblems(node: FlowNode, kind: ActionKind, table: TableSchema, directory: TableDirectory): Problem[] {
  const definition = dynamicsConnector.actions.find((a) => a.kind === kind);
  if (!definition) return [];
  const base = ['params', 'inputs'];
  const { value: input, dynamicPaths } = literalView(node.params.inputs);
  const problems: Problem[] = [];
  const conditionsAt = CONDITIONS_AT[kind];
  if (conditionsAt.length && valueAt(input, conditionsAt) !== undefined) {
    problems.push(
      ...actionConditionsProblems(node.id, table, valueAt(node.params.inputs, conditionsAt), [...base, ...conditionsAt].join('.')),
    );
    setAt(input, conditionsAt, DYNAMIC);
    dynamicPaths.push([...conditionsAt]);
  }
  if (kind === 'upsert') problems.push(...alternateKeyProblems(node.id, table, input));
  if (kind === 'retrieve' && typeof valueAt(input, ['fetchXml']) === 'string') {
    // Checked here, once and on its field; the schema's own refinement then sees it as set aside.
    problems.push(...fetchXmlProblems(node.id, table, node.params.inputs));
    setAt(input, ['fetchXml'], DYNAMIC);
    dynamicPaths.push(['fetchXml']);
  }
  const parsed = inputSchema(definition, kind, table, directory).safeParse(input);
  if (parsed.success) return problems;
  const dismissed = (issue: Issue, at: readonly PropertyKey[]): boolean => {
    const path = [...at, ...issue.path];
    if (dynamicPaths.some((d) => startsWith(path, d))) return true;
    return issue.code === 'invalid_union' && issue.errors.some((branch) => branch.every((i) => dismissed(i, path)));
  };
  for (const issue of parsed.error.issues) {
    if (!dismissed(issue, [])) problems.push(...issueProblems(node.id, kind, table, input, issue));
  }
  return problems;
}

/** One schema per table object, action and directory: a flow with many steps on a table builds it once. */
const schemas = new WeakMap<TableSchema, Map<string, { directory: TableDirectory; schema: z.ZodType }>>();
function inputSchema(
  definition: (typeof dynamicsConnector.actions)[number],
  kind: ActionKind,
  table: TableSchema,
  directory: TableDirectory,
): z.ZodType {
  const byKind = schemas.get(table) ?? new Map<string, { directory: TableDirectory; schema: z.ZodType }>();
  schemas.set(table, byKind);
  const cached = byKind.get(kind);
  if (cached && cached.directory === directory) return cached.schema;
  const schema = definition.input(table, directory) as z.ZodType;
  byKind.set(kind, { directory, schema });
  return schema;
}

function setAt(value: unknown, path: readonly string[], to: unknown): void {
  const parent = valueAt(value, path.slice(0, -1));
  if (typeof parent === 'object' && parent !== null) (parent as Record<string, unknown>)[path[path.length - 1]!] = to;
}

const fieldOf = (path: readonly PropertyKey[]) => ['params', 'inputs', ...path].map(String).join('.');

/** One schema issue as the problems it stands for. */
function issueProblems(nodeId: string, kind: ActionKind, table: TableSchema, input: unknown, issue: Issue): Problem[] {
  const path = issue.path;
  const column = (name: PropertyKey | undefined) => table.columns.find((c) => c.logicalName === String(name));
  const problem = (at: readonly PropertyKey[], code: string, message: string): Problem => ({ nodeId, field: fieldOf(at), code, message });

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      if (path.length === 1 && path[0] === 'fields') {
        const c = column(key);
        return c
          ? problem([...path, key], 'read_only_column', `${columnLabel(c)} cannot be set ${WRITING[kind]}: Dynamics does not accept it.`)
          : problem([...path, key], 'unknown_column', `${table.displayName} has no column "${key.slice(0, 80)}".`);
      }
      const misplaced = path.length === 0 && column(key) && WRITING[kind] !== '';
      return problem(
        [...path, key],
        'invalid_input',
        misplaced
          ? `"${key.slice(0, 80)}" is a column of ${table.displayName}: set it under fields.`
          : `This step has no setting "${key.slice(0, 80)}".`,
      );
    });
  }

  if (path[0] === 'fields' && path.length >= 2) {
    const c = column(path[1]);
    const at = path.slice(0, 2);
    const value = valueAt(input, at);
    if (!c) return [problem(at, 'invalid_input', issue.message)];
    if (value === undefined)
      return [problem(at, 'required_column', `${columnLabel(c)} is required to create a ${table.displayName.toLowerCase()}.`)];
    if (LOOKUP_TYPES.has(c.type)) {
      const allowed = (c.targets ?? []).map((t) => t.table);
      const target = typeof value === 'object' && value !== null ? (value as { table?: unknown }).table : undefined;
      if (typeof target === 'string' && !allowed.includes(target)) {
        return [
          problem(
            [...at, 'table'],
            'lookup_target',
            `${columnLabel(c)} can point to ${allowed.join(' or ')} only, not to "${target.slice(0, 80)}".`,
          ),
        ];
      }
    }
    if (CHOICE_TYPES.has(c.type) && issue.code === 'custom') return [problem(at, 'unknown_choice', issue.message)];
    return [problem(at, 'value_type', valueTypeMessage(c, value))];
  }

  const last = path[path.length - 1];
  // Our own refinements ("Give the record id.") are already plain words.
  const custom = issue.code === 'custom';
  if ((path[0] === 'orderBy' && last === 'field') || (path[0] === 'columns' && path.length === 2)) {
    return [problem(path, 'unknown_column', `${table.displayName} has no column ${preview(valueAt(input, path))} that can be read.`)];
  }
  if (path[0] === 'match' && last === 'key' && valueAt(input, path) !== undefined) {
    const keys = table.alternateKeys.map((k) => `"${k.logicalName}"`).join(', ') || 'none';
    return [problem(path, 'unknown_key', `${table.displayName} has no alternate key ${preview(valueAt(input, path))}; its keys: ${keys}.`)];
  }
  if (path[0] === 'match' && last === 'id' && valueAt(input, path) !== undefined) {
    return [
      problem(
        path,
        'value_type',
        `The record id must be a GUID like 00aa00aa-bb11-cc22-dd33-44ee44ee44ee; ${preview(valueAt(input, path))} is not one.`,
      ),
    ];
  }
  if (path.length === 1 && valueAt(input, path) === undefined)
    return [problem(path, 'invalid_input', `This step needs its "${String(path[0])}" setting.`)];
  return [problem(path, 'invalid_input', custom ? issue.message : settingMessage(issue))];
}

/** Matching by an alternate key takes the key's columns from the fields (as the upsert does at run time): each must be given. */
function alternateKeyProblems(nodeId: string, table: TableSchema, input: unknown): Problem[] {
  if (valueAt(input, ['match', 'by']) !== 'alternate_key') return [];
  const key = table.alternateKeys.find((k) => k.logicalName === valueAt(input, ['match', 'key']));
  const fields = valueAt(input, ['fields']);
  if (!key || fields === DYNAMIC || typeof fields !== 'object' || fields === null) return [];
  return key.columns
    .filter((name) => {
      const value = (fields as Record<string, unknown>)[name];
      return value === undefined || value === null || value === '';
    })
    .map((name) => {
      const c = table.columns.find((x) => x.logicalName === name);
      return {
        nodeId,
        field: `params.inputs.fields.${name}`,
        code: 'required_column',
        message: `Finding the ${table.displayName.toLowerCase()} by ${key.displayName} needs a value for ${c ? columnLabel(c) : name} in the fields.`,
      };
    });
}
