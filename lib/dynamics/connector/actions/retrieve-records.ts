/**
 * Retrieve: rows matching conditions, in an order, at most `maxItems` (default 10, ceiling 5,000).
 * Pages are streamed (`client.retrievePages`) and the stream is closed as soon as one row more than
 * asked for has arrived: that row only tells whether more match ("error" fails the step, "first N"
 * returns the first N and says more exist). Nothing beyond maxItems + 1 rows is ever held.
 * Advanced: a FetchXML query (as Power Automate's "List rows" offers) in place of conditions, order
 * and columns — joins, aggregates, operators the conditions lack — paged the same lazy way through
 * its paging cookie (`client.fetchPages`).
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview
 *        https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/overview
 */
import { z } from 'zod';
import type { DataverseRecord, QueryOptions } from '../../client/types';
import { checkFetchXml, FETCH_XML_MAX_CHARS } from '../../fetchxml/fetch-xml-check';
import type { TableSchema } from '../../metadata/types';
import type { ActionContext } from '../define';
import { defineAction } from '../define';
import { ActionError } from '../errors';
import { recordSchema } from '../form/record-schema';
import { conditionFieldsMeta, conditionGroupSchema, readableColumns, toFilter, type ConditionGroupInput } from '../query/conditions';
import { DEFAULT_MAX_ITEMS, MAX_ITEMS_CEILING } from '../query/limits';

export interface RetrieveRecordsInput {
  conditions?: ConditionGroupInput;
  orderBy?: { field: string; direction: 'asc' | 'desc' }[];
  maxItems: number;
  whenMoreMatch: 'first_n' | 'error';
  columns?: string[];
  /** A FetchXML query on the step's table, instead of conditions, order and columns. */
  fetchXml?: string;
}

function retrieveInput(table: TableSchema) {
  const names = readableColumns(table).map((c) => c.logicalName) as [string, ...string[]];
  const columnChoices = readableColumns(table).map((c) => ({ value: c.logicalName, label: c.displayName }));
  return z
    .strictObject({
      conditions: conditionGroupSchema(table)
        .optional()
        .meta({
          title: 'Conditions',
          description: 'Leave empty to retrieve any records.',
          'x-widget': 'conditions',
          'x-condition-fields': conditionFieldsMeta(table),
        }),
      orderBy: z
        .array(z.strictObject({ field: z.enum(names), direction: z.enum(['asc', 'desc']).default('asc') }))
        .max(5)
        .optional()
        .meta({ title: 'Order by', 'x-widget': 'order', 'x-choices': columnChoices }),
      maxItems: z
        .number()
        .int()
        .min(1)
        .max(MAX_ITEMS_CEILING)
        .default(DEFAULT_MAX_ITEMS)
        .meta({ title: 'Maximum number of records', description: `Between 1 and ${MAX_ITEMS_CEILING}.`, 'x-widget': 'number' }),
      whenMoreMatch: z
        .enum(['first_n', 'error'])
        .default('first_n')
        .meta({
          title: 'When more records match',
          'x-widget': 'select',
          'x-choices': [
            { value: 'first_n', label: 'Return the first ones' },
            { value: 'error', label: 'Fail the step' },
          ],
        }),
      columns: z.array(z.enum(names)).max(200).optional().meta({
        title: 'Columns to return',
        description: 'Leave empty for all columns.',
        'x-widget': 'columns',
        'x-choices': columnChoices,
      }),
      fetchXml: z
        .string()
        .max(FETCH_XML_MAX_CHARS)
        .optional()
        .meta({
          title: 'FetchXML query',
          description: `Advanced: a FetchXML query on ${table.logicalName} (joins, aggregates, more operators). It replaces the conditions, order and columns.`,
          'x-widget': 'textarea',
          'x-advanced': true,
        }),
    })
    .superRefine((input, issues) => {
      if (typeof input.fetchXml !== 'string') return;
      const set = [input.conditions && 'conditions', input.orderBy?.length && 'order', input.columns?.length && 'columns'].filter(Boolean);
      if (set.length)
        issues.addIssue({
          code: 'custom',
          path: ['fetchXml'],
          message: `A FetchXML query replaces the ${set.join(', ')}: clear those, or clear the query.`,
        });
      const checked = checkFetchXml(input.fetchXml, table.logicalName);
      if (!checked.ok) issues.addIssue({ code: 'custom', path: ['fetchXml'], message: checked.message });
    });
}

/** Query options for the input; exported for the For each runtime that streams beyond one step. */
export function retrieveQuery(table: TableSchema, input: RetrieveRecordsInput): QueryOptions {
  const query: QueryOptions = { top: input.maxItems + 1, pageSize: Math.min(input.maxItems + 1, 5000), formattedValues: true };
  if (input.conditions) query.filter = toFilter(table, input.conditions);
  if (input.columns?.length) {
    const lookups = new Set(table.columns.filter((c) => c.targets).map((c) => c.logicalName));
    query.select = [...new Set([table.primaryIdAttribute, ...input.columns])].map((c) => (lookups.has(c) ? `_${c}_value` : c));
  }
  // The primary key last makes the order total, so "first N" is the same N on every run.
  const order = (input.orderBy ?? []).map((o) => ({ field: lookupsAware(table, o.field), descending: o.direction === 'desc' }));
  query.orderBy = [...order, { field: table.primaryIdAttribute }];
  return query;
}

const lookupsAware = (table: TableSchema, field: string) =>
  table.columns.find((c) => c.logicalName === field)?.targets ? `_${field}_value` : field;

/** Streams matching rows lazily, page by page, stopping after `limit` rows. */
export async function* streamRecords(
  ctx: Pick<ActionContext, 'client' | 'table' | 'signal'>,
  query: QueryOptions,
  limit: number,
): AsyncGenerator<DataverseRecord> {
  let seen = 0;
  for await (const page of ctx.client.retrievePages(ctx.table.entitySetName, query, ctx.signal)) {
    for (const row of page) {
      if (seen++ >= limit) return;
      yield row;
    }
  }
}

/** Streams a FetchXML query's rows lazily, page by page through the paging cookie, stopping after `limit` rows. */
export async function* streamFetchXml(
  ctx: Pick<ActionContext, 'client' | 'table' | 'signal'>,
  fetchXml: string,
  limit: number,
): AsyncGenerator<DataverseRecord> {
  const checked = checkFetchXml(fetchXml, ctx.table.logicalName);
  if (!checked.ok) throw new ActionError('invalid_input', checked.message);
  let seen = 0;
  const pages = ctx.client.fetchPages(ctx.table.entitySetName, fetchXml, {
    pageSize: Math.min(limit, 5000),
    formattedValues: true,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  for await (const page of pages) {
    for (const row of page) {
      if (seen++ >= limit) return;
      yield row;
    }
  }
}

export const retrieveRecords = defineAction({
  kind: 'retrieve',
  title: (t) => `Retrieve ${t.displayCollectionName.toLowerCase()}`,
  description: (t) =>
    `Retrieves ${t.displayCollectionName.toLowerCase()} that match conditions, in the order you choose, up to a maximum number.`,
  docUrl: 'https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview',
  sideEffect: 'read',
  idempotency: 'natural',
  retrySafety: 'Reads only; retrying returns the records as they are then.',
  input: (table) => retrieveInput(table) as unknown as z.ZodType<RetrieveRecordsInput>,
  output: (table) =>
    z.object({
      records: z.array(recordSchema(table)),
      count: z.number().meta({ title: 'Number of records returned' }),
      moreAvailable: z.boolean().meta({ title: 'More records matched' }),
    }),
  run: async (ctx, input) => {
    const records: DataverseRecord[] = [];
    const rows =
      input.fetchXml !== undefined
        ? streamFetchXml(ctx, input.fetchXml, input.maxItems + 1)
        : streamRecords(ctx, retrieveQuery(ctx.table, input), input.maxItems + 1);
    for await (const row of rows) records.push(row);
    const moreAvailable = records.length > input.maxItems;
    if (moreAvailable && input.whenMoreMatch === 'error') {
      throw new ActionError(
        'too_many_matches',
        `More than ${input.maxItems} ${ctx.table.displayCollectionName.toLowerCase()} match; raise the maximum (up to ${MAX_ITEMS_CEILING}) or narrow the conditions.`,
      );
    }
    if (moreAvailable) records.length = input.maxItems;
    return { records, count: records.length, moreAvailable };
  },
});
