import type { EventKind } from '@/lib/dynamics/connector/define';
import { dynamicsConnector } from '@/lib/dynamics/connector/dynamics-connector';
import { readableColumns } from '@/lib/dynamics/connector/query/conditions';
import type { TableSchema } from '@/lib/dynamics/metadata/types';
import type { ConditionOperator } from '../model/conditions';
import type { Problem } from '../model/problem';
import type { FlowNode } from '../model/schema';
import { triggerConditionsProblems } from './condition-checks';

interface EventInputs {
  columns?: string[];
  conditions?: { rules: { left: { column: string }; operator: ConditionOperator; right?: unknown }[] };
}

/**
 * A Dynamics event trigger against its table: the columns it returns and tests exist and can be
 * read, its conditions suit their columns, and an event that needs change tracking (the connector's
 * `requiresChangeTracking`: Deleted) is on a table that has it.
 */
export function triggerProblems(node: FlowNode, event: EventKind, table: TableSchema): Problem[] {
  const problems: Problem[] = [];
  const definition = dynamicsConnector.triggers.find((t) => t.event === event);
  if (definition?.requiresChangeTracking && !table.changeTrackingEnabled) {
    problems.push({
      nodeId: node.id,
      field: 'type',
      code: 'change_tracking_required',
      message: `${definition.title(table)} needs change tracking on the ${table.displayName} table, and it is off in this account: turn on "Track changes" for the table in Dynamics, or use another event.`,
    });
  }
  const inputs = node.params.inputs as EventInputs;
  const readable = new Set(readableColumns(table).map((c) => c.logicalName));
  (inputs.columns ?? []).forEach((name, i) => {
    if (!readable.has(name)) {
      problems.push({
        nodeId: node.id,
        field: `params.inputs.columns.${i}`,
        code: 'unknown_column',
        message: `${table.displayName} has no column "${name}" that can be read, so the trigger cannot return it.`,
      });
    }
  });
  problems.push(...triggerConditionsProblems(node.id, table, inputs.conditions, 'params.inputs.conditions'));
  return problems;
}
