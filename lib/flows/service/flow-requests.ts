import { z } from 'zod';

/** A row id as `newId()` makes it (ULID, Crockford base32): anything else is refused before a query. */
export const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not an id');

export const flowIdParamsSchema = z.strictObject({ id: idSchema });
export const flowVersionParamsSchema = z.strictObject({ id: idSchema, version: z.coerce.number().int().min(1).max(1_000_000_000) });

const name = z.string().trim().min(1).max(200);
const description = z.string().max(4_000);
/** The document is checked by lib/flows (migrate, parse, validate), not here: its problems are the answer. */
const document = z.unknown().refine((v) => v !== undefined, 'a flow document is required');

export const createFlowSchema = z.strictObject({ name: name.optional(), description: description.optional(), document });
export type CreateFlowRequest = z.infer<typeof createFlowSchema>;

export const saveFlowSchema = z.strictObject({
  document,
  name: name.optional(),
  description: description.optional(),
  /** The version the editor started from: a save on top of someone else's is refused (409). */
  baseVersion: z.number().int().min(1),
});
export type SaveFlowRequest = z.infer<typeof saveFlowSchema>;

export const listFlowsQuerySchema = z.strictObject({
  q: z.string().max(200).optional(),
  /** A field, optionally with a direction: `name` is A–Z and `created` / `modified` newest first unless `-asc` / `-desc` says otherwise. */
  sort: z
    .enum(['name', 'name-asc', 'name-desc', 'created', 'created-asc', 'created-desc', 'modified', 'modified-asc', 'modified-desc'])
    .optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type ListFlowsQuery = z.infer<typeof listFlowsQuerySchema>;

export const testFlowSchema = z
  .strictObject({
    trigger: z.json().optional(),
    /** "Test this step": run only this step, on the outputs an earlier finished run of the flow recorded. */
    step: z.strictObject({ nodeId: z.string().min(1).max(64), fromRunId: idSchema }).optional(),
  })
  .refine((r) => !(r.step && r.trigger !== undefined), {
    message: "Give trigger data or a step to test, not both: a step test reuses the earlier run's trigger data.",
  });
export type TestFlowRequest = z.infer<typeof testFlowSchema>;

export const runIdParamsSchema = z.strictObject({ id: idSchema });

export const listRunsQuerySchema = z.strictObject({
  flowId: idSchema.optional(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
  mode: z.enum(['live', 'test']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;
