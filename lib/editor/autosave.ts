/**
 * Autosave and the recovery copy. Every change is written at once to a local recovery copy
 * (IndexedDB in the browser) and, after a short pause in typing, saved to the server on top of the
 * version the editor started from. A failed save is retried with backoff and its edits stay in the
 * recovery copy, so neither a refused save, a crash nor a closed tab loses work. A save the server
 * refuses because someone else saved first (409) is never retried blindly: the person chooses.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Problem } from '@/lib/flows/model/problem';
import type { EditorDocument } from './editor-document';
import type { EditorState } from './editor-store';

export type PutResult =
  | { ok: true; version: number; problems: Problem[] }
  | { ok: false; conflict: true; message: string }
  | { ok: false; conflict?: false; message: string };

export interface SavePort {
  put(flowId: string, doc: EditorDocument, baseVersion: number): Promise<PutResult>;
}

export interface RecoveryCopy {
  doc: EditorDocument;
  baseVersion: number;
  at: number;
}

export interface RecoveryPort {
  write(flowId: string, copy: RecoveryCopy): Promise<void>;
  read(flowId: string): Promise<RecoveryCopy | undefined>;
  clear(flowId: string): Promise<void>;
}

export interface AutosaveOptions {
  debounceMs?: number;
  /** First retry after a failed save; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How often at most the recovery copy is written while edits go on (default 250 ms). */
  copyEveryMs?: number;
}

export function startAutosave(
  store: StoreApi<EditorState>,
  port: SavePort,
  recovery: RecoveryPort,
  opts: AutosaveOptions = {},
): () => void {
  const debounceMs = opts.debounceMs ?? 800;
  const maxRetryMs = opts.maxRetryMs ?? 30_000;
  let retryMs = opts.retryMs ?? 2_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let stopped = false;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), ms);
  };

  const flush = async () => {
    const state = store.getState();
    if (stopped || inFlight || state.doc === state.savedDoc || state.save.status === 'conflict') return;
    inFlight = true;
    const doc = state.doc;
    state.saving();
    let result: PutResult;
    try {
      result = await port.put(state.flowId, doc, state.baseVersion);
    } catch {
      result = { ok: false, message: 'The server could not be reached.' };
    }
    inFlight = false;
    if (stopped) return;
    if (result.ok) {
      retryMs = opts.retryMs ?? 2_000;
      store.getState().saved(doc, result.version, result.problems);
      const now = store.getState();
      if (now.doc === now.savedDoc) await recovery.clear(now.flowId).catch(() => {});
      else schedule(debounceMs);
      return;
    }
    if (result.conflict) {
      store.getState().saveFailed(result.message, true);
      return;
    }
    store.getState().saveFailed(result.message);
    schedule(retryMs);
    retryMs = Math.min(maxRetryMs, retryMs * 2);
  };

  // The recovery copy follows the document at most every 250 ms (a drag changes it every frame),
  // and at once when the editor stops.
  let copyTimer: ReturnType<typeof setTimeout> | undefined;
  const writeCopy = () => {
    copyTimer = undefined;
    const s = store.getState();
    if (s.doc !== s.savedDoc) void recovery.write(s.flowId, { doc: s.doc, baseVersion: s.baseVersion, at: Date.now() }).catch(() => {});
  };
  const unsubscribe = store.subscribe((next, prev) => {
    if (next.doc === prev.doc) return;
    if (next.doc !== next.savedDoc) {
      copyTimer ??= setTimeout(writeCopy, opts.copyEveryMs ?? 250);
      schedule(debounceMs);
    }
  });

  return () => {
    stopped = true;
    clearTimeout(timer);
    if (copyTimer) {
      clearTimeout(copyTimer);
      writeCopy();
    }
    unsubscribe();
  };
}

/** Saves now (the person pressed Ctrl+S or is leaving); resolves when the store says saved or failed. */
export function saveNow(store: StoreApi<EditorState>, port: SavePort): Promise<PutResult | undefined> {
  const state = store.getState();
  if (state.doc === state.savedDoc) return Promise.resolve(undefined);
  const doc = state.doc;
  state.saving();
  return port.put(state.flowId, doc, state.baseVersion).then(
    (result) => {
      if (result.ok) store.getState().saved(doc, result.version, result.problems);
      else store.getState().saveFailed(result.message, result.conflict === true);
      return result;
    },
    () => {
      store.getState().saveFailed('The server could not be reached.');
      return { ok: false, message: 'The server could not be reached.' } as const;
    },
  );
}

/** A recovery copy worth offering: it differs from what the server has. */
export function isWorthRestoring(copy: RecoveryCopy | undefined, serverDoc: EditorDocument): copy is RecoveryCopy {
  return copy !== undefined && JSON.stringify(copy.doc) !== JSON.stringify(serverDoc);
}
