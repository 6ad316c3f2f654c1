import { z } from 'zod';

/**
 * Version 1, as stored before this model existed (e2e/support/seed-flow.ts writes it):
 * `{ schemaVersion: 1, nodes: [{ id, type, params }], edges: [] }`. No names, type versions,
 * positions or handles. Loose on purpose: it is only read, to be lifted to version 2, and whatever
 * a v1 writer put in `params` is carried over rather than lost. v1 edges (never written with
 * content) are read as `{ from, to }` between node ids.
 */
export const flowDocumentV1Schema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().optional(),
  description: z.string().optional(),
  nodes: z.array(z.object({ id: z.string().min(1), type: z.string().min(1), params: z.record(z.string(), z.unknown()).default({}) })),
  edges: z.array(z.object({ from: z.string().min(1), to: z.string().min(1), handle: z.string().optional() })).default([]),
});

export type FlowDocumentV1 = z.output<typeof flowDocumentV1Schema>;
