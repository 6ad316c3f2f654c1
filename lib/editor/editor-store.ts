/**
 * The editor's state in one store (zustand): the document, the selection, undo/redo history and the
 * save state. Every edit goes through `edit(change)`, a pure document → document function from
 * document-ops.ts, so history is a list of documents and undo is a pointer move. Edits of one field
 * in a row coalesce into one undo step; a drag is one step (`beginGesture`/`endGesture`).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Problem } from '@/lib/flows/model/problem';
import type { EditorDocument } from './editor-document';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'failed' | 'conflict';

export interface SaveState {
  status: SaveStatus;
  /** Why the last save failed (shown next to the status). */
  message?: string;
  /** When the document last reached the server (epoch ms). */
  savedAt?: number;
}

export interface EditorState {
  flowId: string;
  doc: EditorDocument;
  /** The version the server has; a save is made on top of it (optimistic check). */
  baseVersion: number;
  /** The document as last saved: `doc !== savedDoc` means unsaved changes. */
  savedDoc: EditorDocument;
  selection: { nodes: string[]; edges: string[] };
  past: EditorDocument[];
  future: EditorDocument[];
  save: SaveState;
  /** Problems of the last saved version, from the server's full validation (with metadata). */
  serverProblems: Problem[];
  /** A short message for the person (a refused connection, a paste that skipped the trigger). */
  notice?: { text: string; at: number };

  edit(change: (doc: EditorDocument) => EditorDocument, opts?: { coalesce?: string; history?: boolean }): void;
  undo(): void;
  redo(): void;
  beginGesture(): void;
  endGesture(): void;
  select(selection: { nodes?: string[]; edges?: string[] }): void;
  notify(text: string): void;
  /** A save is under way with this document. */
  saving(): void;
  /** The server stored `doc` as `version`. Edits made meanwhile stay unsaved. */
  saved(doc: EditorDocument, version: number, problems: Problem[]): void;
  saveFailed(message: string, conflict?: boolean): void;
  /** Replaces everything with the server's copy (after a conflict, "take theirs"; or a restored version). */
  load(doc: EditorDocument, version: number, problems: Problem[]): void;
  /** Keeps the current document but builds on `version` (after a conflict, "keep mine"). */
  rebase(version: number): void;
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1_500;

export function createEditorStore(init: {
  flowId: string;
  doc: EditorDocument;
  version: number;
  problems?: Problem[];
}): StoreApi<EditorState> {
  let lastCoalesce: { key: string; at: number } | undefined;
  let gestureStart: EditorDocument | undefined;

  return createStore<EditorState>((set, get) => ({
    flowId: init.flowId,
    doc: init.doc,
    baseVersion: init.version,
    savedDoc: init.doc,
    selection: { nodes: [], edges: [] },
    past: [],
    future: [],
    save: { status: 'saved' },
    serverProblems: init.problems ?? [],

    edit(change, opts = {}) {
      const { doc, past } = get();
      const next = change(doc);
      if (next === doc) return;
      const now = Date.now();
      const coalesced = opts.coalesce !== undefined && lastCoalesce?.key === opts.coalesce && now - lastCoalesce.at < COALESCE_MS;
      lastCoalesce = opts.coalesce !== undefined ? { key: opts.coalesce, at: now } : undefined;
      const keepHistory = opts.history !== false && gestureStart === undefined && !coalesced;
      set({
        doc: next,
        past: keepHistory ? [...past, doc].slice(-HISTORY_LIMIT) : past,
        future: opts.history === false && gestureStart === undefined ? get().future : [],
        save: get().save.status === 'conflict' ? get().save : { ...get().save, status: 'dirty' },
      });
    },
    undo() {
      const { past, doc, future } = get();
      const previous = past.at(-1);
      if (!previous) return;
      lastCoalesce = undefined;
      set({ doc: previous, past: past.slice(0, -1), future: [doc, ...future], save: dirtyUnlessConflict(get().save) });
    },
    redo() {
      const { past, doc, future } = get();
      const next = future[0];
      if (!next) return;
      lastCoalesce = undefined;
      set({ doc: next, past: [...past, doc], future: future.slice(1), save: dirtyUnlessConflict(get().save) });
    },
    beginGesture() {
      gestureStart = get().doc;
    },
    endGesture() {
      const start = gestureStart;
      gestureStart = undefined;
      if (start && start !== get().doc) set({ past: [...get().past, start].slice(-HISTORY_LIMIT), future: [] });
    },
    select(selection) {
      const current = get().selection;
      set({ selection: { nodes: selection.nodes ?? current.nodes, edges: selection.edges ?? current.edges } });
    },
    notify(text) {
      set({ notice: { text, at: Date.now() } });
    },
    saving() {
      set({ save: { ...get().save, status: 'saving' } });
    },
    saved(doc, version, problems) {
      const unchanged = get().doc === doc;
      set({
        baseVersion: version,
        savedDoc: doc,
        serverProblems: problems,
        save: { status: unchanged ? 'saved' : 'dirty', savedAt: Date.now() },
      });
    },
    saveFailed(message, conflict = false) {
      set({ save: { ...get().save, status: conflict ? 'conflict' : 'failed', message } });
    },
    load(doc, version, problems) {
      lastCoalesce = undefined;
      set({
        doc,
        savedDoc: doc,
        baseVersion: version,
        serverProblems: problems,
        past: [...get().past, get().doc].slice(-HISTORY_LIMIT),
        future: [],
        save: { status: 'saved', savedAt: Date.now() },
      });
    },
    rebase(version) {
      set({ baseVersion: version, save: { status: 'dirty' } });
    },
  }));
}

const dirtyUnlessConflict = (save: SaveState): SaveState => (save.status === 'conflict' ? save : { ...save, status: 'dirty' });

export const hasUnsavedChanges = (s: Pick<EditorState, 'doc' | 'savedDoc'>) => s.doc !== s.savedDoc;
