import { ActionError } from '@/lib/dynamics/connector/errors';
import { conditionFieldsMeta, readableColumns, toFilter, type Operator } from '@/lib/dynamics/connector/query/conditions';
import type { TableSchema } from '@/lib/dynamics/metadata/types';
import type { ConditionOperator } from '../model/conditions';
import type { Problem } from '../model/problem';
import { DYNAMIC, isDynamic, literalView } from './dynamic-values';
import { columnLabel } from './problem-text';

/** One condition as the connector reads it, before its value is known to be literal. */
export interface ConditionToCheck {
  field: unknown;
  operator: unknown;
  /** Absent for null / not_null; DYNAMIC when it is an expression or a reference. */
  value?: unknown;
  /** Where each part is, as problem fields. */
  at: { field: string; operator: string; value: string };
  /** The operators as the person wrote them, when their form names them differently from the connector. */
  operatorNames?: (operators: readonly Operator[]) => string[];
}

/**
 * A condition against the table: the column exists and can be read, the operator suits its type
 * (the connector's own operator table, the one the editor's condition builder offers), and a literal
 * value converts the way the runtime will convert it (the connector's `toFilter`, so a choice label
 * that is not an option fails here with the same message as at run time).
 */
export function conditionProblems(nodeId: string, table: TableSchema, c: ConditionToCheck): Problem[] {
  if (c.field === DYNAMIC || c.operator === DYNAMIC) return [];
  const column = readableColumns(table).find((x) => x.logicalName === c.field);
  if (!column) {
    return [
      {
        nodeId,
        field: c.at.field,
        code: 'unknown_column',
        message: `${table.displayName} has no column "${String(c.field).slice(0, 80)}" that can be read, so a condition cannot test it.`,
      },
    ];
  }
  const operators = conditionFieldsMeta(table).find((m) => m.column === column.logicalName)?.operators ?? [];
  if (!operators.includes(c.operator as Operator)) {
    return [
      {
        nodeId,
        field: c.at.operator,
        code: 'operator_unsuitable',
        message: `"${String(c.operator).slice(0, 40)}" cannot test ${columnLabel(column)}, ${article(column.type)} ${column.type} column; use one of: ${(c.operatorNames?.(operators) ?? operators).join(', ')}.`,
      },
    ];
  }
  if (c.value === DYNAMIC || (Array.isArray(c.value) && c.value.includes(DYNAMIC))) return [];
  try {
    toFilter(table, {
      match: 'all',
      conditions: [{ field: column.logicalName, operator: c.operator as Operator, value: c.value as never }],
    });
    return [];
  } catch (err) {
    if (!(err instanceof ActionError)) throw err;
    return [
      {
        nodeId,
        field: c.at.value,
        code: err.code === 'unknown_choice' ? 'unknown_choice' : 'value_type',
        message: err.message,
      },
    ];
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Conditions of Retrieve, Update, Delete and Update or create, in the connector's shape
 * (`{ match, conditions: [{ field, operator, value } | group] }`), walked condition by condition so
 * each problem names its own condition.
 */
export function actionConditionsProblems(nodeId: string, table: TableSchema, raw: unknown, field: string): Problem[] {
  if (raw === undefined || isDynamic(raw)) return [];
  if (!isRecord(raw) || !Array.isArray(raw.conditions) || (raw.match !== 'all' && raw.match !== 'any')) {
    return [
      {
        nodeId,
        field,
        code: 'invalid_input',
        message: 'Conditions need "all" or "any" and a list of conditions, each a column, an operator and a value.',
      },
    ];
  }
  return raw.conditions.flatMap((entry, i): Problem[] => {
    const at = `${field}.conditions.${i}`;
    if (isDynamic(entry)) return [];
    if (isRecord(entry) && 'conditions' in entry) return actionConditionsProblems(nodeId, table, entry, at);
    if (!isRecord(entry))
      return [{ nodeId, field: at, code: 'invalid_input', message: 'A condition is a column, an operator and a value.' }];
    const view = literalView(entry).value as Record<string, unknown>;
    return conditionProblems(nodeId, table, {
      field: view.field,
      operator: view.operator,
      value: view.value,
      at: { field: `${at}.field`, operator: `${at}.operator`, value: `${at}.value` },
    });
  });
}

/** The flow model's condition operators (a Dynamics event trigger's) as the connector names them. */
export const CONNECTOR_OPERATOR: Record<ConditionOperator, Operator> = {
  eq: 'eq',
  ne: 'ne',
  gt: 'gt',
  ge: 'ge',
  lt: 'lt',
  le: 'le',
  contains: 'contains',
  not_contains: 'not_contains',
  starts_with: 'startswith',
  ends_with: 'endswith',
  is_empty: 'null',
  is_not_empty: 'not_null',
};

/** A Dynamics event trigger's conditions (the flow model's shape: rules of `{ left: { column }, operator, right }`). */
export function triggerConditionsProblems(
  nodeId: string,
  table: TableSchema,
  group: { rules: { left: { column: string }; operator: ConditionOperator; right?: unknown }[] } | undefined,
  field: string,
): Problem[] {
  // The trigger's operators have their own names: a problem lists the ones its form offers.
  const operatorNames = (operators: readonly Operator[]) =>
    (Object.keys(CONNECTOR_OPERATOR) as ConditionOperator[]).filter((op) => operators.includes(CONNECTOR_OPERATOR[op]));
  return (group?.rules ?? []).flatMap((rule, i) => {
    const at = `${field}.rules.${i}`;
    return conditionProblems(nodeId, table, {
      field: rule.left.column,
      operator: CONNECTOR_OPERATOR[rule.operator],
      value: rule.right === undefined ? undefined : literalView(rule.right).value,
      at: { field: `${at}.left.column`, operator: `${at}.operator`, value: `${at}.right` },
      operatorNames,
    }).map((p) => (p.code === 'operator_unsuitable' ? { ...p, message: p.message.replace(/^"[^"]*"/, `"${rule.operator}"`) } : p));
  });
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
