'use client';

import { useQuery } from '@tanstack/react-query';
import { Dialog } from 'radix-ui';
import { useMemo, useState } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch } from '@/lib/browser/api-fetch';
import { toEditorDocument, type EditorDocument } from '@/lib/editor/editor-document';
import { diffVersions } from '@/lib/editor/version-diff';
import type { FlowVersionItem } from '@/lib/flows/service/flow-versions';
import { ReadonlyFlow } from './readonly-flow';

/**
 * Version history: every save is a version. Pick one to see it drawn against the flow as it is now
 * (steps added, removed and changed highlighted), and restore it — a restore is a new version, so
 * nothing is lost.
 */
export function VersionsDialog({
  flowId,
  open,
  onOpenChange,
  current,
  onRestore,
}: {
  flowId: string;
  open: boolean;
  onOpenChange(open: boolean): void;
  current: EditorDocument;
  onRestore(doc: EditorDocument, version: number): void;
}) {
  const [picked, setPicked] = useState<number | undefined>();
  const versions = useQuery({
    queryKey: ['flows', flowId, 'versions'],
    queryFn: async () => (await apiFetch<{ versions: FlowVersionItem[] }>(`/api/flows/${encodeURIComponent(flowId)}/versions`)).versions,
    enabled: open,
    staleTime: 0,
  });
  const version = useQuery({
    queryKey: ['flows', flowId, 'versions', picked],
    queryFn: async () =>
      (
        await apiFetch<{ version: { version: number; document: unknown; createdAt: string } }>(
          `/api/flows/${encodeURIComponent(flowId)}/versions/${picked}`,
        )
      ).version,
    enabled: open && picked !== undefined,
  });
  const old = useMemo(() => (version.data ? toEditorDocument(version.data.document) : undefined), [version.data]);
  const diff = useMemo(() => (old ? diffVersions(old, current) : undefined), [old, current]);
  const removedEdges = useMemo(() => new Set(diff?.edgesRemoved.map((e) => e.id)), [diff]);

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content
          className="fixed inset-6 z-50 flex flex-col rounded-xl bg-white p-5 shadow-2xl dark:bg-slate-900"
          data-testid="versions-dialog"
        >
          <Dialog.Title className="text-lg font-semibold">Versions</Dialog.Title>
          <Dialog.Description className="mb-3 text-sm text-slate-500">
            Every save is kept. Choose a version to compare it with the flow as it is now.
          </Dialog.Description>
          <div className="flex min-h-0 flex-1 gap-4">
            <ul className="w-56 shrink-0 overflow-y-auto border-r border-slate-200 pr-3 dark:border-slate-800" aria-label="Saved versions">
              {versions.isPending && (
                <li className="flex items-center gap-2 text-sm text-slate-500">
                  <Spinner /> Loading…
                </li>
              )}
              {versions.data?.map((v) => (
                <li key={v.version}>
                  <button
                    type="button"
                    onClick={() => setPicked(v.version)}
                    aria-pressed={picked === v.version}
                    className={`mb-1 w-full rounded-md px-3 py-2 text-left text-sm ${picked === v.version ? 'bg-brand-50 text-brand-700 dark:bg-slate-800' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
                  >
                    <span className="font-medium">Version {v.version}</span>
                    {v.current && <span className="ml-1 text-xs text-slate-500">(latest)</span>}
                    {v.published && <span className="ml-1 rounded bg-emerald-100 px-1 text-xs text-emerald-800">live</span>}
                    <span className="block text-xs text-slate-500">{new Date(v.createdAt).toLocaleString()}</span>
                  </button>
                </li>
              ))}
            </ul>
            <div className="flex min-w-0 flex-1 flex-col">
              {picked === undefined ? (
                <p className="text-sm text-slate-500">Choose a version on the left.</p>
              ) : !diff || !old ? (
                <p className="flex items-center gap-2 text-sm text-slate-500">
                  <Spinner /> Opening version {picked}…
                </p>
              ) : (
                <>
                  <p className="mb-2 text-sm" data-testid="diff-summary">
                    From version {picked} to now: <strong>{diff.summary}</strong>.{' '}
                    <span className="text-slate-500">Green: added since · amber: changed · red: removed since.</span>
                  </p>
                  <ReadonlyFlow
                    document={diff.merged}
                    diffs={diff.steps}
                    removedEdges={removedEdges}
                    className="min-h-0 flex-1"
                    label={`Differences between version ${picked} and the flow now`}
                  />
                  <div className="mt-3 flex justify-end gap-2">
                    <button
                      type="button"
                      className="btn-primary"
                      onClick={() => {
                        onRestore(old, picked);
                        onOpenChange(false);
                      }}
                    >
                      Restore version {picked}
                    </button>
                  </div>
                </>
              )}
            </div>
          </div>
          <Dialog.Close className="btn-secondary absolute right-4 top-4">Close</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
