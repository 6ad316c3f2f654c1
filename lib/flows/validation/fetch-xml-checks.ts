import { checkFetchXml } from '@/lib/dynamics/fetchxml/fetch-xml-check';
import type { TableSchema } from '@/lib/dynamics/metadata/types';
import type { Problem } from '../model/problem';

/**
 * Retrieve's FetchXML mode: a query written in the step (not mapped from an earlier one) must be
 * well-formed, on the step's table and within the size limit, and it replaces the conditions,
 * order and columns — so those must be empty. Each problem is on the FetchXML field.
 */
export function fetchXmlProblems(nodeId: string, table: TableSchema, inputs: unknown): Problem[] {
  if (typeof inputs !== 'object' || inputs === null) return [];
  const { fetchXml, conditions, orderBy, columns } = inputs as Record<string, unknown>;
  if (typeof fetchXml !== 'string') return [];
  const field = 'params.inputs.fetchXml';
  const problems: Problem[] = [];
  const set = [
    conditions !== undefined && 'conditions',
    Array.isArray(orderBy) && orderBy.length > 0 && 'order',
    Array.isArray(columns) && columns.length > 0 && 'columns',
  ].filter(Boolean);
  if (set.length)
    problems.push({
      nodeId,
      field,
      code: 'fetchxml_exclusive',
      message: `A FetchXML query replaces the ${set.join(', ')}: clear those, or clear the query.`,
    });
  const checked = checkFetchXml(fetchXml, table.logicalName);
  if (!checked.ok) problems.push({ nodeId, field, code: 'fetchxml_invalid', message: checked.message });
  return problems;
}
