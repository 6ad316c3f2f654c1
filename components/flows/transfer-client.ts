import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { ImportPreview } from '@/lib/flows/service/import-requests';
import { MAX_PORTABLE_FLOW_BYTES } from '@/lib/flows/transfer/portable-flow-limits';

export type { ImportPreview } from '@/lib/flows/service/import-requests';
export { MAX_PORTABLE_FLOW_BYTES };

export const exportFlowUrl = (flowId: string) => `/api/flows/${encodeURIComponent(flowId)}/export`;

/** Downloads the flow as `<name>.flow.yaml` through a link to the export route (the browser keeps the session cookie). */
export function exportFlow(flowId: string): void {
  const link = document.createElement('a');
  link.href = exportFlowUrl(flowId);
  link.download = '';
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/** What importing `text` would create: its name, steps and the account placeholders to fill. */
export function inspectImport(text: string): Promise<ImportPreview> {
  return apiFetch<ImportPreview>('/api/flows/import/inspect', { method: 'POST', body: { text } });
}

/** Creates a new draft from `text`, each placeholder filled by one of the caller's account ids. */
export function importFlow(text: string, accounts: Record<string, string>): Promise<{ flowId: string }> {
  return apiFetch<{ flowId: string }>('/api/flows/import', { method: 'POST', body: { text, accounts } });
}

/** An import or inspect failure in plain words (the server's message where it already says it best). */
export function transferErrorMessage(err: unknown): string {
  if (!(err instanceof ApiRequestError)) return 'The server could not be reached. Check your connection and try again.';
  switch (err.code) {
    case 'too_large':
    case 'payload_too_large':
      return `The file is too large: a flow file may be at most ${MAX_PORTABLE_FLOW_BYTES / 1024 / 1024} MiB.`;
    case 'validation_failed':
      return 'Choose an account for every placeholder, then import again.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again, then import the file.';
    default:
      return err.status >= 500 ? 'Something went wrong on our side. Try again in a moment.' : err.message;
  }
}
