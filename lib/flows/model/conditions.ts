import { z } from 'zod';
import { inputSchema } from './input';

/**
 * Conditions of If and of a Dynamics event trigger: rules joined by all/any. Generic on purpose:
 * whether a column exists or an operator suits its type is a metadata-dependent check (later).
 */
export const CONDITION_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'is_empty',
  'is_not_empty',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
const UNARY: readonly ConditionOperator[] = ['is_empty', 'is_not_empty'];

const ruleShape = <L extends z.ZodType>(left: L) =>
  z
    .strictObject({ left, operator: z.enum(CONDITION_OPERATORS), right: inputSchema.optional() })
    .refine((r) => UNARY.includes(r.operator) === (r.right === undefined), {
      message: 'is_empty and is_not_empty take no right-hand value; every other operator needs one',
      path: ['right'],
    });

/** If: both sides are inputs (literal, expression or reference). */
export const conditionGroupSchema = z.strictObject({
  match: z.enum(['all', 'any']),
  rules: z.array(ruleShape(inputSchema)).min(1).max(50),
});

/** Dynamics event trigger: the left side is a column of the table. */
export const columnConditionGroupSchema = z.strictObject({
  match: z.enum(['all', 'any']),
  rules: z
    .array(ruleShape(z.strictObject({ column: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column logical name') })))
    .min(1)
    .max(50),
});

export type ConditionGroup = z.infer<typeof conditionGroupSchema>;
