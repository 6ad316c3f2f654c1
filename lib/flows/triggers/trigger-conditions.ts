import type { ConditionGroupInput, ConditionInput } from '@/lib/dynamics/connector/query/conditions';
import type { ConditionOperator } from '@/lib/flows/model/conditions';
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
