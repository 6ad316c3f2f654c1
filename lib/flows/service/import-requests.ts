import { z } from 'zod';
import type { PortableFlow } from '../transfer/portable-flow-schema';
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

/** The answer of POST /api/flows/import/inspect (here, apart from the service, so the browser can import the type). */
export interface ImportPlaceholder {
  key: string;
  label: string;
  /** The Dynamics tables the steps on this placeholder use (logical names, in order of appearance). */
  tables: string[];
}

export interface ImportPreview {
  format: PortableFlow['format'];
  name: string;
  description: string;
  nodeCount: number;
  placeholders: ImportPlaceholder[];
  /** What the model's checks find in the flow; the imported draft shows them until they are fixed. */
  problemCount: number;
  template?: PortableFlow['template'];
}
