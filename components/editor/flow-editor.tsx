'use client';

import { useQueries, useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useAccounts } from '@/components/catalog/use-accounts';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { CatalogApplication } from '@/lib/connectors/application';
import type { AccountCatalog, TableDetails } from '@/lib/dynamics/connector/account-catalog';
import type { CatalogObject } from '@/lib/dynamics/connector/catalog';
import { CONNECTOR_ID, parseId } from '@/lib/dynamics/connector/ids';
import { isWorthRestoring, saveNow, startAutosave, type RecoveryCopy } from '@/lib/editor/autosave';
import { copySteps, isClipboard, isTrigger, moveNodes, pasteSteps } from '@/lib/editor/document-ops';
import { toEditorDocument, type EditorDocument } from '@/lib/editor/editor-document';
import { createEditorStore, hasUnsavedChanges } from '@/lib/editor/editor-store';
import { sourcesFor } from '@/lib/editor/mapping-sources';
import { shapeTracker } from '@/lib/editor/shape-of';
import { fingerprintsOf, staleSteps } from '@/lib/editor/stale-steps';
import { paletteItems, paletteSections, type PaletteItem } from '@/lib/editor/palette';
import { stepInfo } from '@/lib/editor/step-info';
import { checkFlow } from '@/lib/flows/model/check-flow';
import type { Problem } from '@/lib/flows/model/problem';
import type { FlowView } from '@/lib/flows/service/flow-view';
import { EditorStoreContext } from './editor-context';
import { editorKeys, fetchAccountCatalog, fetchFlow, putFlow, startFlow, stopFlow, testFlow } from './editor-api';
import { EditorToolbar } from './editor-toolbar';
import { FlowCanvas, placeStep } from './flow-canvas';
import { idbRecovery } from './idb-recovery';
import { InspectorPanel } from './inspector-panel';
import { PreviewSampleContext } from './preview-sample-context';
import { PalettePanel } from './palette-panel';
import { ProblemsPanel } from './problems-panel';
import { ShortcutsDialog } from './shortcuts-dialog';
import { StepPicker } from './step-picker';
import { TestDialog } from './test-dialog';
import { VersionsDialog } from './versions-dialog';
import { useTestRun } from './use-test-run';

const savePort = { put: putFlow };
/** Problem codes the browser's own check (checkFlow) decides. */
const LOCAL_CODES = new Set([
  'schema',
  'no_trigger',
  'extra_trigger',
  'duplicate_node_id',
  'duplicate_edge_id',
  'edge_unknown_node',
  'edge_unknown_handle',
  'edge_into_trigger',
  'duplicate_edge',
  'error_path_missing',
  'cycle',
  'unreachable',
  'reference_unknown_step',
  'reference_self',
  'reference_not_upstream',
  'response_missing',
  'response_without_request',
  'future_version',
]);
const CLIPBOARD_KEY = 'dfd:clipboard';

/** `/flows/{id}`: loads the flow, then the editor with its own store. */
export function FlowEditor({ flowId }: { flowId: string }) {
  const flow = useQuery({ queryKey: editorKeys.flow(flowId), queryFn: () => fetchFlow(flowId), staleTime: Infinity, retry: false });
  if (flow.isPending) {
    return (
      <div className="flex h-screen items-center justify-center gap-2 text-sm text-slate-500">
        <Spinner /> Opening the flow…
      </div>
    );
  }
  if (flow.isError) {
    const notFound = flow.error instanceof ApiRequestError && flow.error.status === 404;
    return <p className="p-8 text-sm text-red-700">{notFound ? 'This flow does not exist, or it is not yours.' : flow.error.message}</p>;
  }
  return <LoadedEditor key={flow.data.id} view={flow.data} />;
}

function LoadedEditor({ view }: { view: FlowView }) {
  const [store] = useState(() =>
    createEditorStore({
      flowId: view.id,
      doc: toEditorDocument(view.document, view.name),
      version: view.currentVersion,
      problems: view.problems,
    }),
  );
  const [flowStatus, setFlowStatus] = useState(view.status);
  // The editor around the canvas depends on the document's shape only, not on where steps sit: it
  // subscribes to a shape-stable document, so a drag re-renders the canvas, not the whole editor.
  // (`shaped` keeps the positions of its first version; read store.getState().doc for them.)
  const [trackShape] = useState(shapeTracker);
  const shaped = useStore(store, (s) => trackShape(s.doc));
  const selection = useStore(store, (s) => s.selection);
  const save = useStore(store, (s) => s.save);
  const serverProblems = useStore(store, (s) => s.serverProblems);
  const canUndo = useStore(store, (s) => s.past.length > 0);
  const canRedo = useStore(store, (s) => s.future.length > 0);
  const [query, setQuery] = useState('');
  const [picker, setPicker] = useState(false);
  const [help, setHelp] = useState(false);
  const searchParams = useSearchParams();
  const [testing, setTesting] = useState(() => searchParams.get('test') === '1');
  const [showVersions, setShowVersions] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string; key?: string } | undefined>();
  const [recovery, setRecovery] = useState<RecoveryCopy | undefined>();
  const nodeIds = useMemo(() => shaped.nodes.map((n) => n.id), [shaped]);
  const testRun = useTestRun(nodeIds);
  // `?test=1` (a template's "Create and try it on a recent record") opens the Test dialog once; a reload does not.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.get('test') !== '1') return;
    url.searchParams.delete('test');
    window.history.replaceState(window.history.state, '', url);
  }, []);
  const tested = testRun.run?.tested;
  const stale = useMemo(() => (tested ? staleSteps(shaped, tested) : new Set<string>()), [shaped, tested]);

  // Autosave, the recovery copy, and a warning before leaving with unsaved changes.
  useEffect(() => startAutosave(store, savePort, idbRecovery), [store]);
  useEffect(() => {
    void idbRecovery.read(view.id).then((copy) => {
      if (isWorthRestoring(copy, store.getState().savedDoc)) setRecovery(copy);
    });
  }, [store, view.id]);
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (hasUnsavedChanges(store.getState())) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store]);

  const accountsQuery = useAccounts();
  const accounts = useMemo(() => (accountsQuery.data ?? []).filter((a) => a.application === CONNECTOR_ID), [accountsQuery.data]);
  const defaultAccountId = accounts[0]?.id;
  const accountNames = useMemo(
    () => (accountsQuery.data ? new Map(accounts.map((a) => [a.id, a.name])) : undefined),
    [accounts, accountsQuery.data],
  );

  const applications = useQuery({
    queryKey: editorKeys.applications,
    queryFn: async () =>
      (await apiFetch<{ applications: (CatalogApplication & { objects?: CatalogObject[] })[] }>('/api/connectors')).applications,
  });
  // The palette shows the default account's tables (its discovered ones under "Show more").
  const accountObjects = useQuery({
    queryKey: ['connectors', 'dynamics', defaultAccountId, 'objects'],
    queryFn: () => apiFetch<AccountCatalog>(`/api/connectors/dynamics?account=${encodeURIComponent(defaultAccountId!)}&details=0`),
    enabled: !!defaultAccountId,
    staleTime: 5 * 60_000,
  });
  const apps = useMemo(() => {
    const list = applications.data ?? [];
    const objects = accountObjects.data?.application.objects;
    return objects ? list.map((a) => (a.id === CONNECTOR_ID ? { ...a, objects } : a)) : list;
  }, [applications.data, accountObjects.data]);
  const sections = useMemo(() => paletteSections(apps, query), [apps, query]);
  const allSections = useMemo(() => paletteSections(apps), [apps]);
  const catalog = useMemo(() => new Map(paletteItems(allSections).map((i) => [i.type, i])), [allSections]);

  // Each (account, table) the flow uses: its columns and forms, as that organization describes them.
  const pairs = useMemo(() => {
    const seen = new Map<string, { accountId: string; table: string }>();
    for (const n of shaped.nodes) {
      const parsed = parseId(n.type);
      if (parsed && n.params.accountId)
        seen.set(`${n.params.accountId}|${parsed.table}`, { accountId: n.params.accountId, table: parsed.table });
    }
    return [...seen.values()];
  }, [shaped]);
  const tableQueries = useQueries({
    queries: pairs.map((p) => ({
      queryKey: editorKeys.accountCatalog(p.accountId, p.table),
      queryFn: () => fetchAccountCatalog(p.accountId, [p.table]),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const tableDetails = useCallback(
    (accountId: string | undefined, table: string): { details?: TableDetails; loading: boolean; error?: string } => {
      const i = pairs.findIndex((p) => p.accountId === accountId && p.table === table);
      const q = i >= 0 ? tableQueries[i] : undefined;
      if (!q) return { loading: false };
      return { details: q.data?.details[table], loading: q.isPending, ...(q.error ? { error: q.error.message } : {}) };
    },
    [pairs, tableQueries],
  );

  // Problems: the model's own checks at once, and the server's full validation (metadata) of the last save.
  // Problems do not depend on where steps sit: a drag (positions only) reuses the last check,
  // which matters because a check of a large flow takes longer than a frame.
  const localProblems = useMemo(() => {
    const r = checkFlow(shaped);
    return r.ok ? [] : r.problems;
  }, [shaped]);
  const problems = useMemo(() => {
    const local = localProblems;
    const key = (p: Problem) => `${p.nodeId ?? ''}|${p.field ?? ''}|${p.code}`;
    const seen = new Set(local.map(key));
    const ids = new Set(shaped.nodes.map((n) => n.id));
    // The model's own checks run here on every edit and are the truth for what they check; the
    // server adds what needs the organization's metadata (columns, types, choices).
    const fromServer = serverProblems.filter((p) => !seen.has(key(p)) && (!p.nodeId || ids.has(p.nodeId)) && !LOCAL_CODES.has(p.code));
    return [...local, ...fromServer];
  }, [localProblems, shaped, serverProblems]);
  const problemsByNode = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of problems) if (p.nodeId) m.set(p.nodeId, (m.get(p.nodeId) ?? 0) + 1);
    return m;
  }, [problems]);

  const selectedNode = selection.nodes.length === 1 ? shaped.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  const titleOf = useCallback(
    (id: string) => {
      const n = store.getState().doc.nodes.find((x) => x.id === id);
      return n ? (n.name ?? stepInfo(n.type, catalog).title) : undefined;
    },
    [store, catalog],
  );
  const sources = useMemo(
    () =>
      selectedNode
        ? sourcesFor(shaped, selectedNode.id, {
            title: (n) => n.name ?? stepInfo(n.type, catalog).title,
            columns: (accountId, table) => tableDetails(accountId, table).details?.schema.columns,
            outputForm: (accountId, type) => {
              const t = parseId(type)?.table;
              return t ? tableDetails(accountId, t).details?.actions[type]?.output : undefined;
            },
          })
        : [],
    [shaped, selectedNode, catalog, tableDetails],
  );

  const pick = useCallback(
    (item: PaletteItem) => {
      placeStep(store, item.type, undefined, catalog, defaultAccountId, true);
    },
    [store, catalog, defaultAccountId],
  );

  const layout = useCallback(async () => {
    // elkjs is large and only needed here: loaded on first use.
    const { layoutPositions } = await import('@/lib/editor/auto-layout');
    const positions = await layoutPositions(store.getState().doc);
    store.getState().edit((d) => moveNodes(d, positions));
  }, [store]);

  // Keyboard: the picker, history, copy/paste (also between flows, through localStorage), save, help.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void saveNow(store, savePort);
        return;
      }
      if (typing) return;
      if ((e.key === '/' && !mod) || (mod && e.key.toLowerCase() === 'k')) {
        e.preventDefault();
        setPicker(true);
      } else if (e.key === '?') {
        setHelp(true);
      } else if (mod && e.key.toLowerCase() === 'z' && !e.shiftKey) {
        e.preventDefault();
        store.getState().undo();
      } else if (mod && (e.key.toLowerCase() === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey))) {
        e.preventDefault();
        store.getState().redo();
      } else if (mod && e.key.toLowerCase() === 'c') {
        const s = store.getState();
        if (!s.selection.nodes.length) return;
        localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(copySteps(s.doc, s.selection.nodes)));
        s.notify(`Copied ${s.selection.nodes.length} step${s.selection.nodes.length === 1 ? '' : 's'}.`);
      } else if (mod && e.key.toLowerCase() === 'v') {
        const raw = localStorage.getItem(CLIPBOARD_KEY);
        const clip = raw ? (JSON.parse(raw) as unknown) : undefined;
        if (!isClipboard(clip)) return;
        const s = store.getState();
        let ids: string[] = [];
        s.edit((d) => {
          const r = pasteSteps(d, clip, { x: 40, y: 40 });
          ids = r.ids;
          return r.doc;
        });
        s.select({ nodes: ids, edges: [] });
        if (ids.length < clip.nodes.length) s.notify('The trigger was not pasted: this flow already has one.');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  useEffect(
    () =>
      store.subscribe((next, prev) => {
        if (next.notice && next.notice !== prev.notice) setMessage({ tone: 'info', text: next.notice.text, key: String(next.notice.at) });
      }),
    [store],
  );

  const unsaved = save.status !== 'saved';
  const startDisabledReason = problems.length
    ? `Fix ${problems.length} problem${problems.length === 1 ? '' : 's'} first`
    : save.status === 'conflict'
      ? 'Resolve the conflicting change first'
      : undefined;

  const ensureSaved = async (): Promise<boolean> => {
    if (!unsaved) return true;
    const r = await saveNow(store, savePort);
    return !r || r.ok;
  };

  const start = async () => {
    setBusy('Starting…');
    try {
      if (!(await ensureSaved())) return setMessage({ tone: 'error', text: 'Save the flow before starting it.' });
      const answer = await startFlow(view.id);
      setFlowStatus(answer.flow.status);
      setMessage({
        tone: 'info',
        text: answer.invokeKey
          ? `Started. Call it at ${location.origin}${answer.invokeUrl} with the header X-Flow-Key: ${answer.invokeKey} — this key is shown only now.`
          : 'Started: the published version now runs when its trigger fires.',
      });
    } catch (err) {
      setMessage({ tone: 'error', text: err instanceof Error ? err.message : 'The flow could not start.' });
    } finally {
      setBusy(undefined);
    }
  };
  const stop = async () => {
    setBusy('Stopping…');
    try {
      const answer = await stopFlow(view.id);
      setFlowStatus(answer.flow.status);
      setMessage({ tone: 'info', text: 'Stopped: the trigger no longer starts runs.' });
    } catch (err) {
      setMessage({ tone: 'error', text: err instanceof Error ? err.message : 'The flow could not stop.' });
    } finally {
      setBusy(undefined);
    }
  };
  const runTest = async (trigger: unknown) => {
    setTesting(false);
    setBusy('Testing…');
    try {
      if (!(await ensureSaved())) return setMessage({ tone: 'error', text: 'Save the flow before testing it.' });
      const { runId } = await testFlow(view.id, { trigger });
      testRun.follow(runId, { fingerprints: fingerprintsOf(store.getState().doc) });
    } catch (err) {
      setMessage({ tone: 'error', text: err instanceof Error ? err.message : 'The test could not start.' });
    } finally {
      setBusy(undefined);
    }
  };
  // "Test this step": the selected step alone, with its current settings, on the last test's outputs.
  const lastTest = testRun.run && ['succeeded', 'failed', 'cancelled'].includes(testRun.run.status) ? testRun.run.runId : undefined;
  const runStepTest = async (nodeId: string) => {
    if (!lastTest) return;
    setBusy('Testing the step…');
    try {
      if (!(await ensureSaved())) return setMessage({ tone: 'error', text: 'Save the flow before testing a step.' });
      const { runId } = await testFlow(view.id, { step: { nodeId, fromRunId: lastTest } });
      testRun.follow(runId, { fingerprints: fingerprintsOf(store.getState().doc), onlyNodeId: nodeId });
    } catch (err) {
      setMessage({ tone: 'error', text: err instanceof Error ? err.message : 'The step test could not start.' });
    } finally {
      setBusy(undefined);
    }
  };

  const trigger = shaped.nodes.find((n) => isTrigger(n.type));
  // What expression previews run on: the last test's data, else the trigger's sample payload.
  const testedSteps = testRun.run?.steps;
  const samplePayload = trigger?.params.inputs.samplePayload;
  const triggerId = trigger?.id;
  const previewSample = useMemo(() => {
    const steps: Record<string, { status: string; output?: unknown; error?: unknown }> = {};
    for (const [id, s] of testedSteps ?? []) steps[id] = { status: s.status, output: s.output, ...(s.error ? { error: s.error } : {}) };
    const tested = triggerId ? testedSteps?.get(triggerId)?.output : undefined;
    const triggerData = tested ?? samplePayload;
    if (triggerData === undefined && Object.keys(steps).length === 0) return undefined;
    return { trigger: triggerData ?? null, steps, vars: {}, run: { id: 'preview', flowId: view.id, mode: 'test' } };
  }, [testedSteps, samplePayload, triggerId, view.id]);
  const writesToDynamics = shaped.nodes.some((n) => {
    const a = parseId(n.type)?.action;
    return a !== undefined && a !== 'retrieve';
  });

  return (
    <EditorStoreContext.Provider value={store}>
      <PreviewSampleContext.Provider value={previewSample}>
        <div className="flex h-screen flex-col" data-testid="flow-editor">
          <EditorToolbar
            flowId={view.id}
            name={shaped.name}
            onName={(name) => store.getState().edit((d: EditorDocument) => ({ ...d, name }), { coalesce: 'flow:name' })}
            save={save}
            status={flowStatus}
            canUndo={canUndo}
            canRedo={canRedo}
            onUndo={() => store.getState().undo()}
            onRedo={() => store.getState().redo()}
            onLayout={() => void layout()}
            onTest={() => setTesting(true)}
            onStart={() => void start()}
            onStop={() => void stop()}
            onHelp={() => setHelp(true)}
            onVersions={() => setShowVersions(true)}
            onAddStep={() => setPicker(true)}
            startDisabledReason={startDisabledReason}
            busy={busy}
          />
          {recovery && (
            <div
              role="alert"
              className="flex flex-wrap items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
            >
              Unsaved changes from {new Date(recovery.at).toLocaleString()} were kept on this device.
              <button
                type="button"
                className="btn-secondary py-1 text-xs"
                onClick={() => {
                  store.getState().edit(() => recovery.doc);
                  setRecovery(undefined);
                }}
              >
                Restore them
              </button>
              <button
                type="button"
                className="text-xs underline"
                onClick={() => {
                  void idbRecovery.clear(view.id);
                  setRecovery(undefined);
                }}
              >
                Discard
              </button>
            </div>
          )}
          {save.status === 'conflict' && (
            <ConflictBar
              onTheirs={async () => {
                const latest = await fetchFlow(view.id);
                store.getState().load(toEditorDocument(latest.document, latest.name), latest.currentVersion, latest.problems);
              }}
              onMine={async () => {
                const latest = await fetchFlow(view.id);
                store.getState().rebase(latest.currentVersion);
                await saveNow(store, savePort);
              }}
            />
          )}
          {message && (
            <div
              role={message.tone === 'error' ? 'alert' : 'status'}
              className={`flex items-start gap-3 border-b px-4 py-2 text-sm ${
                message.tone === 'error'
                  ? 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200'
                  : 'border-brand-100 bg-brand-50 text-brand-700 dark:border-slate-800 dark:bg-slate-900 dark:text-brand-100'
              }`}
              data-testid="editor-message"
            >
              <span className="flex-1 break-all">{message.text}</span>
              <button type="button" className="text-xs underline" onClick={() => setMessage(undefined)}>
                Dismiss
              </button>
            </div>
          )}
          {testRun.run && (
            <div
              className="flex items-center gap-3 border-b border-slate-200 bg-white px-4 py-2 text-sm dark:border-slate-800 dark:bg-slate-900"
              data-testid="test-run-bar"
              data-status={testRun.run.status}
            >
              {testRun.run.onlyNodeId ? `Test of ${titleOf(testRun.run.onlyNodeId)}` : 'Test run'}: <strong>{testRun.run.status}</strong>
              {testRun.run.error && <span className="text-red-700">— {testRun.run.error.message}</span>}
              <a href={`/runs/${testRun.run.runId}`} className="text-brand-700 underline">
                Open the run
              </a>
              <button type="button" className="ml-auto text-xs underline" onClick={testRun.clear}>
                Clear
              </button>
            </div>
          )}
          <div className="flex min-h-0 flex-1">
            <PalettePanel sections={sections} query={query} onQuery={setQuery} onPick={pick} hasTrigger={!!trigger} />
            <div className="relative min-w-0 flex-1 bg-slate-50 dark:bg-slate-950">
              {shaped.nodes.length === 0 && (
                <div className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center">
                  <div className="rounded-xl border border-dashed border-slate-300 bg-white/80 p-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:bg-slate-900/80 dark:text-slate-300">
                    <p className="font-medium">Start with a trigger</p>
                    <p className="mt-1">Drag one from the left, or press / to search for steps.</p>
                  </div>
                </div>
              )}
              <ReactFlowProvider>
                <FlowCanvas
                  catalog={catalog}
                  accountNames={accountNames}
                  defaultAccountId={defaultAccountId}
                  problemsByNode={problemsByNode}
                  statuses={testRun.run?.statuses}
                  stale={stale}
                />
              </ReactFlowProvider>
            </div>
            {selectedNode ? (
              <InspectorPanel
                key={selectedNode.id}
                node={selectedNode}
                catalog={catalog}
                accounts={accounts}
                tableDetails={tableDetails}
                sources={sources}
                problems={problems.filter((p) => p.nodeId === selectedNode.id)}
                lastRun={testRun.run?.steps.get(selectedNode.id)}
                stale={stale.has(selectedNode.id)}
                stepTest={
                  isTrigger(selectedNode.type)
                    ? undefined
                    : {
                        disabledReason: busy
                          ? busy
                          : lastTest
                            ? undefined
                            : testRun.run
                              ? 'Wait for the test run to finish.'
                              : 'Run "Test flow" once: a step is tested on the outputs of the steps before it.',
                        run: () => void runStepTest(selectedNode.id),
                      }
                }
              />
            ) : (
              <aside
                aria-label="Step settings"
                className="hidden w-80 shrink-0 border-l border-slate-200 bg-white p-6 text-sm text-slate-500 lg:block dark:border-slate-800 dark:bg-slate-900"
              >
                Select a step to set it up. Values from earlier steps can be mapped into any field without running the flow first.
              </aside>
            )}
          </div>
          <ProblemsPanel
            problems={problems}
            titleOf={titleOf}
            onSelect={(p) => {
              if (p.nodeId) store.getState().select({ nodes: [p.nodeId], edges: [] });
              if (p.field) {
                const name = p.field.replace(/^params\.inputs\./, '');
                requestAnimationFrame(() =>
                  document
                    .querySelector<HTMLElement>(
                      `[data-field="${CSS.escape(name)}"] input, [data-field="${CSS.escape(name)}"] select, [data-field="${CSS.escape(name)}"] textarea`,
                    )
                    ?.focus(),
                );
              }
            }}
          />
        </div>
        <StepPicker
          open={picker}
          onOpenChange={setPicker}
          sections={allSections.filter((s) => !(s.id === 'triggers' && trigger))}
          onPick={pick}
        />
        <ShortcutsDialog open={help} onOpenChange={setHelp} />
        <VersionsDialog
          flowId={view.id}
          open={showVersions}
          onOpenChange={setShowVersions}
          current={showVersions ? store.getState().doc : shaped}
          onRestore={(old, version) => {
            // A restore is an edit like any other: undoable, and saved as a new version.
            store.getState().edit(() => ({ ...old, name: old.name || store.getState().doc.name }));
            setMessage({ tone: 'info', text: `Version ${version} restored; it is saved as a new version.` });
          }}
        />
        <TestDialog
          open={testing}
          onOpenChange={setTesting}
          onRun={(t) => void runTest(t)}
          flowId={view.id}
          triggerNode={trigger}
          writesToDynamics={writesToDynamics}
        />
      </PreviewSampleContext.Provider>
    </EditorStoreContext.Provider>
  );
}

function ConflictBar({ onTheirs, onMine }: { onTheirs(): Promise<void>; onMine(): Promise<void> }) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-3 border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
      data-testid="conflict-bar"
    >
      This flow was saved elsewhere (another tab or person) since you opened it. Nothing was overwritten.
      <button type="button" className="btn-secondary py-1 text-xs" onClick={() => void onTheirs()}>
        Load their version
      </button>
      <button type="button" className="btn-secondary py-1 text-xs" onClick={() => void onMine()}>
        Keep mine and save it on top
      </button>
    </div>
  );
}
