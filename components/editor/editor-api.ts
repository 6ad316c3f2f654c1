import { ApiRequestError, apiFetch } from '@/lib/browser/api-fetch';
import type { AccountCatalog } from '@/lib/dynamics/connector/account-catalog';
import type { PutResult } from '@/lib/editor/autosave';
import type { EditorDocument } from '@/lib/editor/editor-document';
import type { FlowView } from '@/lib/flows/service/flow-view';

/** The editor's calls to the flows API (see README "The API"). */
export const editorKeys = {
  flow: (id: string) => ['flows', id] as const,
  accountCatalog: (accountId: string, tables: string) => ['connectors', 'dynamics', accountId, tables] as const,
  applications: ['connectors'] as const,
};

export async function fetchFlow(id: string): Promise<FlowView> {
  return (await apiFetch<{ flow: FlowView }>(`/api/flows/${encodeURIComponent(id)}`)).flow;
}

export async function createDraftFlow(name: string, document: EditorDocument): Promise<FlowView> {
  return (await apiFetch<{ flow: FlowView }>('/api/flows', { method: 'POST', body: { name, document } })).flow;
}

export async function putFlow(id: string, doc: EditorDocument, baseVersion: number): Promise<PutResult> {
  try {
    const { flow } = await apiFetch<{ flow: FlowView }>(`/api/flows/${encodeURIComponent(id)}`, {
      method: 'PUT',
      body: { document: doc, baseVersion, ...(doc.name.trim() ? { name: doc.name.trim().slice(0, 200) } : {}) },
    });
    return { ok: true, version: flow.currentVersion, problems: flow.problems };
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 409) {
      return { ok: false, conflict: true, message: 'This flow was changed in another tab or by someone else.' };
    }
    const message = err instanceof ApiRequestError ? err.message : 'The server could not be reached.';
    return { ok: false, message };
  }
}

export interface StartAnswer {
  flow: FlowView;
  invokeKey?: string;
  invokeUrl?: string;
}

export const startFlow = (id: string) => apiFetch<StartAnswer>(`/api/flows/${encodeURIComponent(id)}/start`, { method: 'POST' });
export const stopFlow = (id: string) => apiFetch<{ flow: FlowView }>(`/api/flows/${encodeURIComponent(id)}/stop`, { method: 'POST' });
/** A test of the draft: the whole flow with trigger data, or one step on an earlier test run's outputs. */
export const testFlow = (id: string, what: { trigger?: unknown; step?: { nodeId: string; fromRunId: string } }) =>
  apiFetch<{ runId: string }>(`/api/flows/${encodeURIComponent(id)}/test`, {
    method: 'POST',
    body: what.step ? { step: what.step } : what.trigger === undefined ? {} : { trigger: what.trigger },
  });

/** The tables, columns and forms of the account's organization (two organizations may differ). */
export function fetchAccountCatalog(accountId: string, tables: readonly string[]): Promise<AccountCatalog> {
  const query = tables.length ? `&table=${encodeURIComponent([...tables].sort().join(','))}` : '';
  return apiFetch<AccountCatalog>(`/api/connectors/dynamics?account=${encodeURIComponent(accountId)}${query}`);
}
