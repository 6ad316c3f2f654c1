import type { Condition, ConditionGroup, DataverseRecord } from '@/lib/dynamics/client/types';
import type { ConditionGroupInput, ConditionInput } from '@/lib/dynamics/connector/query/conditions';
import type { ConditionOperator } from '@/lib/flows/model/conditions';
import { evaluateRule } from '@/lib/flows/steps/evaluate-condition';
import { CONNECTOR_OPERATOR } from '@/lib/flows/validation/condition-checks';
import { literalView } from '@/lib/flows/validation/dynamic-values';

/** A Dynamics event trigger's conditions as the flow model stores them (node-kinds.ts `columnConditionGroupSchema`). */
export interface TriggerConditions {
  match: 'all' | 'any';
  rules: { left: { column: string }; operator: ConditionOperator; right?: unknown }[];
}

/** The trigger cannot poll as configured (an expression in a condition, …): a message for the flow's owner. */
export class TriggerConfigError extends Error {
  override readonly name = 'TriggerConfigError';
}

/**
 * The conditions in the connector's terms, so they go into the poll's `$filter` (Dataverse filters,
 * nothing unwanted is downloaded). A trigger runs before any step, so a right-hand side must be a
 * literal: an expression or a reference has nothing to read yet.
 */
export function toConnectorConditions(group: TriggerConditions): ConditionGroupInput {
  const conditions = group.rules.map((rule, i): ConditionInput => {
    const operator = CONNECTOR_OPERATOR[rule.operator];
    if (rule.right === undefined) return { field: rule.left.column, operator };
    const view = literalView(rule.right);
    if (view.dynamicPaths.length > 0) {
      throw new TriggerConfigError(
        `Condition ${i + 1} of the trigger compares with an expression; a trigger's conditions take fixed values.`,
      );
    }
    return { field: rule.left.column, operator, value: view.value as ConditionInput['value'] };
  });
  return { match: group.match, conditions };
}

/** The model operator for each connector operator a trigger's conditions (or the poller's start bound) can hold. */
const MODEL_OPERATOR = Object.fromEntries(Object.entries(CONNECTOR_OPERATOR).map(([model, connector]) => [connector, model])) as Partial<
  Record<Condition['operator'], ConditionOperator>
>;

/** Dataverse compares text case-insensitively: both sides lower-cased, so the row judged here matches as `$filter` would. */
const fold = (value: unknown, type: Condition['type']): unknown =>
  typeof value === 'string' && (type === 'string' || type === 'guid') ? value.toLowerCase() : value;

/**
 * The connector's filter (the trigger's conditions after `toFilter`, plus the start bound) judged on
 * a returned row, with the If step's condition rules (evaluate-condition.ts): for change-tracking
 * polls, whose delta query Dataverse refuses a `$filter`. Lookups are read from their `_x_value`
 * column, as the filter names them.
 * @example rowMatcher({ match: 'all', conditions: [{ field: 'subject', operator: 'startswith', type: 'string', value: 'VIP' }] })({ subject: 'vip lead' }) // true
 */
export function rowMatcher(group: ConditionGroup): (row: DataverseRecord) => boolean {
  const tests = group.conditions.map((c): ((row: DataverseRecord) => boolean) => {
    if ('conditions' in c) return rowMatcher(c);
    const operator = MODEL_OPERATOR[c.operator];
    if (!operator) throw new TriggerConfigError(`A trigger condition cannot use "${c.operator}".`);
    return (row) =>
      evaluateRule({
        left: fold(row[c.field], c.type),
        operator,
        ...(c.value === undefined ? {} : { right: fold(c.value, c.type) }),
      });
  });
  return group.match === 'all' ? (row) => tests.every((t) => t(row)) : (row) => tests.some((t) => t(row));
}
