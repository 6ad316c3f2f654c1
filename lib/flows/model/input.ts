import { z } from 'zod';

/**
 * A step input: a literal JSON value, a JSONata expression `{ "expr": "…" }`, or a reference to an
 * earlier step's output `{ "ref": { "step": "<node id>", "path": "…" } }`. Only the shape lives here;
 * evaluation belongs to the engine. A literal object that itself looks like `{ "expr" }` or
 * `{ "ref" }` is written as `{ "literal": … }`, so a literal is never mistaken for an expression.
 */
export const MAX_EXPRESSION_LENGTH = 10_000;

export const expressionInput = z.strictObject({ expr: z.string().max(MAX_EXPRESSION_LENGTH).regex(/\S/, 'an expression is not blank') });
export const referenceInput = z.strictObject({
  ref: z.strictObject({ step: z.string().min(1).max(64), path: z.string().max(1_000).optional() }),
});
export const literalWrapperInput = z.strictObject({ literal: z.json() });

const RESERVED = { expr: expressionInput, ref: referenceInput, literal: literalWrapperInput } as const;

/**
 * Any JSON value. At any depth, an object with an `expr`, `ref` or `literal` key must be exactly
 * that form (so a typo next to an expression, `{ "expr": "…", "comment": "…" }`, is refused rather
 * than read as data); expressions and references nested in a literal object or array are evaluated,
 * and nothing inside `{ "literal": … }` is.
 */
export const inputSchema = z.json().superRefine((value, ctx) => {
  walkInput(value, [], (node, path) => {
    const key = (Object.keys(RESERVED) as (keyof typeof RESERVED)[]).find((k) => k in node);
    if (!key) return false;
    const parsed = RESERVED[key].safeParse(node);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [...path, ...issue.path], message: issue.message });
    }
    return true;
  });
});

/**
 * Visits every object of a JSON value with its path; `visit` returns true to not descend (a form
 * such as `{ expr }` or `{ literal }` was found there).
 */
export function walkInput(
  value: unknown,
  path: PropertyKey[],
  visit: (node: Record<string, unknown>, path: PropertyKey[]) => boolean,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkInput(item, [...path, i], visit));
  } else if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (visit(node, path)) return;
    for (const [k, v] of Object.entries(node)) walkInput(v, [...path, k], visit);
  }
}

export type ExpressionInput = z.infer<typeof expressionInput>;
export type ReferenceInput = z.infer<typeof referenceInput>;
export type Input = z.infer<typeof inputSchema>;

export const isExpression = (value: unknown): value is ExpressionInput =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && 'expr' in value;

export const isReference = (value: unknown): value is ReferenceInput =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && 'ref' in value;
