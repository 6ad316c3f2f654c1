/**
 * Whether a value mapped from the trigger's record fits the column it is written to, before the flow
 * runs. A mapping is an expression that is exactly a path to a source column
 * (`$trigger.record.lastname`, what the editor's mapping picker writes): its JSON type at run time is
 * known from the source table's metadata, and the target column's run-time schema
 * (connector/form/column-schema.ts) accepts only some JSON types. Text mapped into a whole number, or
 * a number into text, would fail every run; here it is a problem with the way to fix it. Any other
 * expression is left to the run, which alone knows its value. Pure.
 */
import { parseId } from '@/lib/dynamics/connector/ids';
import type { ColumnSchema, TableSchema } from '@/lib/dynamics/metadata/types';
import { isExpression } from '../model/input';
import type { Problem } from '../model/problem';
import type { FlowDocument, FlowNode } from '../model/schema';
import type { FlowMetadata } from './flow-metadata';
import { columnLabel, expectationOf } from './problem-text';

type JsonKind = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** The JSON type of a column's value as the Web API returns it in a record (choices as their numeric values). */
const READ_AS: Record<ColumnSchema['type'], JsonKind> = {
  uniqueidentifier: 'string',
  string: 'string',
  memo: 'string',
  integer: 'number',
  bigint: 'number',
  decimal: 'number',
  double: 'number',
  money: 'number',
  boolean: 'boolean',
  datetime: 'string',
  choice: 'number',
  // The Web API returns a multi-select choice as "1,3".
  multichoice: 'string',
  state: 'number',
  status: 'number',
  lookup: 'string',
  customer: 'string',
  owner: 'string',
};

/** The JSON types each column's write schema accepts (column-schema.ts: columnValueBase). */
const ACCEPTS: Record<ColumnSchema['type'], readonly JsonKind[]> = {
  uniqueidentifier: ['string'],
  string: ['string'],
  memo: ['string'],
  integer: ['number'],
  bigint: ['number'],
  decimal: ['number'],
  double: ['number'],
  money: ['number'],
  boolean: ['boolean', 'string', 'number'],
  datetime: ['string'],
  choice: ['number', 'string'],
  multichoice: ['array', 'string'],
  state: ['number', 'string'],
  status: ['number', 'string'],
  lookup: ['object', 'string'],
  customer: ['object', 'string'],
  owner: ['object', 'string'],
};

/** How the person converts a source of one JSON type into what the target takes. */
const CONVERSION: Partial<Record<JsonKind, string>> = {
  string: 'wrap it in $string(…)',
  number: 'wrap it in $number(…) when the text always holds a number',
  boolean: 'wrap it in $boolean(…)',
};

const KIND_WORDS: Record<JsonKind, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'an object',
};

const WRITES_FIELDS = new Set(['create', 'update', 'upsert']);
// `$trigger.record.<column>`, the column plain or in back-quotes, nothing else.
const TRIGGER_COLUMN = /^\$trigger\.record\.(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]+)`)$/;

const label = (node: FlowNode) => node.name || node.id;

function loadedTable(metadata: FlowMetadata, accountId: string | undefined, table: string): TableSchema | undefined {
  const account = accountId === undefined ? undefined : metadata.get(accountId);
  if (account?.status !== 'ok') return undefined;
  const schema = account.tables.get(table);
  return schema && !('error' in schema) ? schema : undefined;
}

export function mappedValueProblems(doc: Pick<FlowDocument, 'nodes'>, metadata: FlowMetadata): Problem[] {
  const trigger = doc.nodes.find((n) => parseId(n.type)?.event !== undefined);
  const triggerEvent = trigger && parseId(trigger.type);
  // A Deleted trigger carries no record to map from.
  if (!trigger || !triggerEvent || triggerEvent.event === 'deleted') return [];
  const source = loadedTable(metadata, trigger.params.accountId, triggerEvent.table);
  if (!source) return [];

  return doc.nodes.flatMap((node): Problem[] => {
    const parsed = parseId(node.type);
    if (!parsed?.action || !WRITES_FIELDS.has(parsed.action)) return [];
    const target = loadedTable(metadata, node.params.accountId, parsed.table);
    const fields = node.params.inputs.fields;
    if (!target || typeof fields !== 'object' || fields === null || Array.isArray(fields)) return [];
    return Object.entries(fields).flatMap(([name, value]): Problem[] => {
      if (!isExpression(value)) return [];
      const match = TRIGGER_COLUMN.exec(value.expr.trim());
      const from = match && source.columns.find((c) => c.logicalName === (match[1] ?? match[2]));
      const to = target.columns.find((c) => c.logicalName === name);
      if (!from || !to) return [];
      const kind = READ_AS[from.type];
      if (ACCEPTS[to.type].includes(kind)) return [];
      const wanted = ACCEPTS[to.type][0]!;
      const fix = CONVERSION[wanted] ? `map a column of the same type, or ${CONVERSION[wanted]}` : 'map a column of the same type';
      return [
        {
          nodeId: node.id,
          field: `params.inputs.fields.${name}`,
          code: 'mapped_type',
          message: `${columnLabel(from)} of "${label(trigger)}" is ${KIND_WORDS[kind]}, but ${columnLabel(to)} takes ${expectationOf(to)}: ${fix}.`,
        },
      ];
    });
  });
}
