import { z } from 'zod';
import { PLACEHOLDER_PATTERN } from '@/lib/flows/transfer/portable-flow-schema';
import { idSchema } from '@/lib/flows/service/flow-requests';
import { TEMPLATE_ID_PATTERN } from './template-catalog';
import { TRIGGER_KINDS } from './template-tags';

export const templateIdParamsSchema = z.strictObject({ id: z.string().max(100).regex(TEMPLATE_ID_PATTERN, 'not a template id') });

export const listTemplatesQuerySchema = z.strictObject({
  q: z.string().max(200).optional(),
  object: z
    .string()
    .max(100)
    .regex(/^[a-z_][a-z0-9_]*$/, 'a table logical name')
    .optional(),
  trigger: z.enum(TRIGGER_KINDS).optional(),
});
export type ListTemplatesQuery = z.infer<typeof listTemplatesQuerySchema>;

/** Which of the caller's accounts fills each placeholder of the template. */
const accounts = z
  .record(z.string().regex(PLACEHOLDER_PATTERN, 'a placeholder name'), idSchema)
  .refine((a) => Object.keys(a).length <= 50, 'at most 50');

const field = z.string().min(1).max(500);
const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a step id');

export const checkTemplateSchema = z.strictObject({ accounts });
export type CheckTemplateRequest = z.infer<typeof checkTemplateSchema>;

export const useTemplateSchema = z.strictObject({
  accounts,
  /** Inputs to drop (the "leave this field out" fixes the check offered). */
  leaveOut: z.array(z.strictObject({ nodeId, field })).max(200).optional(),
  /** Inputs to set (a "pick another value" fix). */
  values: z
    .array(z.strictObject({ nodeId, field, value: z.json() }))
    .max(200)
    .optional(),
  name: z.string().trim().min(1).max(200).optional(),
});
export type UseTemplateRequest = z.infer<typeof useTemplateSchema>;
