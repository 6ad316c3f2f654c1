import { z } from 'zod';
import { idSchema } from './flow-requests';

/** The file's text; its size (1 MiB) and content are the parser's to judge, so its errors carry their own codes. */
const text = z.string();

export const inspectImportSchema = z.strictObject({ text });
export type InspectImportRequest = z.infer<typeof inspectImportSchema>;

export const importFlowSchema = z.strictObject({
  text,
  /** placeholder → account id; the ids are checked to be the caller's by the service. */
  accounts: z.record(z.string().min(1).max(40), idSchema).default({}),
});
export type ImportFlowBody = z.infer<typeof importFlowSchema>;
