import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addNode } from './document-ops';
import { emptyDocument, type EditorDocument } from './editor-document';
import { createEditorStore } from './editor-store';
import { isWorthRestoring, startAutosave, type PutResult, type RecoveryCopy, type RecoveryPort, type SavePort } from './autosave';

/** The server side of a save, in memory: versions, and a switch to refuse or conflict. */
function fakeServer() {
  const state = { version: 1, doc: emptyDocument('x') as EditorDocument, refuse: false, puts: 0 };
  const port: SavePort = {
    async put(_id, doc, baseVersion): Promise<PutResult> {
      state.puts++;
      if (state.refuse) return { ok: false, message: 'The server refused the save.' };
      if (baseVersion !== state.version) return { ok: false, conflict: true, message: 'Someone else saved this flow.' };
      state.version++;
      state.doc = doc;
      return { ok: true, version: state.version, problems: [] };
    },
  };
  return { state, port };
}

function memoryRecovery(): RecoveryPort & { copies: Map<string, RecoveryCopy> } {
  const copies = new Map<string, RecoveryCopy>();
  return {
    copies,
    write: async (id, c) => void copies.set(id, c),
    read: async (id) => copies.get(id),
    clear: async (id) => void copies.delete(id),
  };
}

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves after a pause, once for a burst of edits, and clears the recovery copy', async () => {
    const server = fakeServer();
    const recovery = memoryRecovery();
    const store = createEditorStore({ flowId: 'f', doc: server.state.doc, version: 1 });
    const stop = startAutosave(store, server.port, recovery, { debounceMs: 500 });
    for (let i = 0; i < 5; i++) store.getState().edit((d) => ({ ...d, name: `name ${i}` }));
    // The recovery copy follows within 250 ms, once for the burst.
    await vi.advanceTimersByTimeAsync(260);
    expect(recovery.copies.get('f')?.doc.name).toBe('name 4');
    await vi.advanceTimersByTimeAsync(239);
    expect(server.state.puts).toBe(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(server.state.puts).toBe(1);
    expect(store.getState().save.status).toBe('saved');
    expect(server.state.doc.name).toBe('name 4');
    expect(recovery.copies.has('f')).toBe(false);
    stop();
  });

  it('a refused save keeps the edits in the recovery copy and retries until the server takes them', async () => {
    const server = fakeServer();
    server.state.refuse = true;
    const recovery = memoryRecovery();
    const store = createEditorStore({ flowId: 'f', doc: server.state.doc, version: 1 });
    const stop = startAutosave(store, server.port, recovery, { debounceMs: 100, retryMs: 1_000, copyEveryMs: 50 });
    store.getState().edit((d) => addNode(d, { type: 'manual.trigger', position: { x: 0, y: 0 } }).doc);
    await vi.advanceTimersByTimeAsync(150);
    expect(store.getState().save).toMatchObject({ status: 'failed', message: 'The server refused the save.' });
    expect(recovery.copies.get('f')?.doc.nodes).toHaveLength(1);
    expect(isWorthRestoring(recovery.copies.get('f'), server.state.doc)).toBe(true);
    server.state.refuse = false;
    await vi.advanceTimersByTimeAsync(1_100);
    expect(store.getState().save.status).toBe('saved');
    expect(server.state.doc.nodes).toHaveLength(1);
    stop();
  });

  it('a save on top of a newer version is a conflict: not retried, nothing overwritten', async () => {
    const server = fakeServer();
    server.state.version = 5; // another tab saved meanwhile
    const store = createEditorStore({ flowId: 'f', doc: server.state.doc, version: 1 });
    const stop = startAutosave(store, server.port, memoryRecovery(), { debounceMs: 100, retryMs: 100 });
    store.getState().edit((d) => ({ ...d, name: 'mine' }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.getState().save.status).toBe('conflict');
    expect(server.state.puts).toBe(1);
    // "Keep mine": build on their version, and the next save goes through.
    store.getState().rebase(5);
    store.getState().edit((d) => ({ ...d, description: 'and more' }));
    await vi.advanceTimersByTimeAsync(200);
    expect(store.getState().save.status).toBe('saved');
    expect(server.state.doc.name).toBe('mine');
    stop();
  });
});
