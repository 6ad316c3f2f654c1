'use client';

import { useQuery } from '@tanstack/react-query';
import { Dialog, RadioGroup } from 'radix-ui';
import { useState } from 'react';
import { apiFetch } from '@/lib/browser/api-fetch';
import { parseId } from '@/lib/dynamics/connector/ids';
import type { EditorNode } from '@/lib/editor/editor-document';

interface FoundRecord {
  id: string;
  name: string | null;
  modifiedOn: string | null;
  record: Record<string, unknown>;
}
interface RunSummary {
  id: string;
  status: string;
  mode: string;
  createdAt: string;
}

type Source = 'record' | 'run' | 'json';

/**
 * "Test flow": the trigger data the draft runs with once — a recent record of the trigger's table
 * through its account (the default for a Dynamics event), a past run's trigger data, or JSON typed
 * or pasted — always shown as editable JSON, with a clear note when the flow writes to a Dynamics
 * organization.
 */
export function TestDialog({
  open,
  onOpenChange,
  onRun,
  flowId,
  triggerNode,
  writesToDynamics,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  onRun(trigger: unknown): void;
  flowId: string;
  triggerNode?: EditorNode;
  writesToDynamics: boolean;
}) {
  const event = triggerNode ? parseId(triggerNode.type) : undefined;
  const recordTrigger =
    event?.event && triggerNode?.params.accountId
      ? { table: event.table, event: event.event, accountId: triggerNode.params.accountId }
      : undefined;
  const sample = triggerNode?.params.inputs.samplePayload;
  const initial = JSON.stringify(sample ?? defaultSample(triggerNode?.type), null, 2);
  const [source, setSource] = useState<Source>(recordTrigger ? 'record' : 'json');
  const [text, setText] = useState(initial);
  const [picked, setPicked] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** The person typed in the JSON: nothing picked for them replaces it any more. */
  const [edited, setEdited] = useState(false);

  const records = useQuery({
    queryKey: ['test-records', recordTrigger?.accountId, recordTrigger?.table],
    queryFn: () =>
      apiFetch<{ records: FoundRecord[] }>(
        `/api/accounts/${encodeURIComponent(recordTrigger!.accountId)}/records?table=${encodeURIComponent(recordTrigger!.table)}&top=10`,
      ),
    enabled: open && source === 'record' && recordTrigger !== undefined,
    staleTime: 10_000,
  });
  const runs = useQuery({
    queryKey: ['test-runs', flowId],
    queryFn: () => apiFetch<{ runs: RunSummary[] }>(`/api/runs?flowId=${encodeURIComponent(flowId)}&limit=10`),
    enabled: open && source === 'run',
    staleTime: 5_000,
  });

  const pickRecord = (r: FoundRecord) => {
    setPicked(r.id);
    setError(undefined);
    setEdited(false);
    const { event, table } = recordTrigger!;
    // A Deleted trigger gives only the record's id: the record itself is gone by then.
    setText(JSON.stringify(event === 'deleted' ? { event, table, id: r.id } : { event, table, id: r.id, record: r.record }, null, 2));
  };
  const pickRun = async (r: RunSummary) => {
    setPicked(r.id);
    setError(undefined);
    setEdited(false);
    try {
      const { run } = await apiFetch<{ run: { trigger: unknown } }>(`/api/runs/${encodeURIComponent(r.id)}`);
      setText(JSON.stringify(run.trigger ?? null, null, 2));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That run could not be read.');
    }
  };
  // The first recent record is picked by default, so a Dynamics flow is one click from a test.
  if (source === 'record' && !edited && picked === undefined && records.data?.records[0]) pickRecord(records.data.records[0]);

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        if (o) {
          setText(initial);
          setPicked(undefined);
          setSource(recordTrigger ? 'record' : 'json');
          setError(undefined);
          setEdited(false);
        }
        onOpenChange(o);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 max-h-[calc(100vh-2rem)] w-[40rem] max-w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-6 shadow-2xl dark:bg-slate-900">
          <Dialog.Title className="text-lg font-semibold">Test this flow</Dialog.Title>
          <Dialog.Description className="mb-3 text-sm text-slate-500">
            The draft runs once with the trigger data below; each step lights up on the canvas as it runs.
          </Dialog.Description>
          {writesToDynamics && (
            <p className="mb-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" role="note">
              This flow creates, changes or deletes records: the test does it for real in the chosen accounts’ organizations.
            </p>
          )}

          <RadioGroup.Root
            className="mb-3 flex flex-wrap gap-2"
            aria-label="Where the trigger data comes from"
            value={source}
            onValueChange={(v) => {
              setSource(v as Source);
              setPicked(undefined);
              setError(undefined);
              if (v === 'json') setText(initial);
            }}
          >
            {(
              [
                ...(recordTrigger ? [['record', `A recent ${recordTrigger.table} record`] as const] : []),
                ['run', 'A past run'] as const,
                ['json', 'JSON I type or paste'] as const,
              ] as const
            ).map(([value, label]) => (
              <RadioGroup.Item
                key={value}
                value={value}
                className="rounded-full border border-slate-300 px-3 py-1 text-sm data-[state=checked]:border-brand-600 data-[state=checked]:bg-brand-50 data-[state=checked]:text-brand-800 dark:border-slate-700 dark:data-[state=checked]:bg-slate-800 dark:data-[state=checked]:text-brand-100"
              >
                {label}
              </RadioGroup.Item>
            ))}
          </RadioGroup.Root>

          {source === 'record' && recordTrigger && (
            <PickList
              label={`Recent ${recordTrigger.table} records`}
              loading={records.isLoading}
              error={records.error instanceof Error ? records.error.message : undefined}
              empty={`No ${recordTrigger.table} records in this organization yet.`}
              items={(records.data?.records ?? []).map((r) => ({
                id: r.id,
                title: r.name ?? r.id,
                detail: r.modifiedOn ? `changed ${new Date(r.modifiedOn).toLocaleString()}` : r.id,
                pick: () => pickRecord(r),
              }))}
              picked={picked}
            />
          )}
          {source === 'run' && (
            <PickList
              label="Past runs of this flow"
              loading={runs.isLoading}
              error={runs.error instanceof Error ? runs.error.message : undefined}
              empty="This flow has not run yet."
              items={(runs.data?.runs ?? []).map((r) => ({
                id: r.id,
                title: `${new Date(r.createdAt).toLocaleString()} · ${r.status}`,
                detail: r.mode === 'test' ? 'test run' : 'live run',
                pick: () => void pickRun(r),
              }))}
              picked={picked}
            />
          )}

          <label htmlFor="test-trigger" className="field-label">
            Trigger data (JSON)
          </label>
          <textarea
            id="test-trigger"
            className="field-input h-48 font-mono text-xs"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setEdited(true);
            }}
            spellCheck={false}
          />
          {error && (
            <p className="mt-1 text-sm text-red-700" role="alert">
              {error}
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            <Dialog.Close className="btn-secondary">Cancel</Dialog.Close>
            <button
              type="button"
              className="btn-primary"
              onClick={() => {
                try {
                  onRun(text.trim() ? (JSON.parse(text) as unknown) : null);
                } catch {
                  setError('This is not valid JSON.');
                }
              }}
            >
              Run the test
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function PickList({
  label,
  loading,
  error,
  empty,
  items,
  picked,
}: {
  label: string;
  loading: boolean;
  error?: string;
  empty: string;
  items: { id: string; title: string; detail: string; pick(): void }[];
  picked?: string;
}) {
  return (
    <div className="mb-3" role="group" aria-label={label}>
      {loading && <p className="text-sm text-slate-500">Loading…</p>}
      {error && (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
      {!loading && !error && items.length === 0 && <p className="text-sm text-slate-500">{empty}</p>}
      {items.length > 0 && (
        <ul className="max-h-40 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-700">
          {items.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                aria-pressed={picked === item.id}
                className={`flex w-full items-baseline justify-between gap-3 px-3 py-1.5 text-left text-sm hover:bg-slate-50 dark:hover:bg-slate-800 ${
                  picked === item.id ? 'bg-brand-50 font-medium dark:bg-slate-800' : ''
                }`}
                onClick={item.pick}
              >
                <span className="truncate">{item.title}</span>
                <span className="shrink-0 text-xs text-slate-500">{item.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A starting point shaped like what the trigger gives a run (docs/flow-document.md, "Who starts a run"). */
function defaultSample(type: string | undefined): unknown {
  if (!type) return {};
  if (type === 'api.request') return { method: 'POST', body: {}, query: {}, headers: {} };
  if (type === 'scheduler.schedule') return { firedAt: new Date().toISOString(), scheduledFor: new Date().toISOString() };
  const m = /^dynamics\.([a-z0-9_]+)\.(new|updated|new_or_updated|deleted)$/.exec(type);
  if (m) return { event: m[2], table: m[1], id: '00000000-0000-0000-0000-000000000000', record: {} };
  return {};
}
