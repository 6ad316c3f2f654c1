'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { useAccounts } from '@/components/catalog/use-accounts';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { CatalogApplication } from '@/lib/connectors/application';
import type { CatalogObject } from '@/lib/dynamics/connector/catalog';
import type { EditorDocument } from '@/lib/editor/editor-document';
import { createEditorStore } from '@/lib/editor/editor-store';
import { paletteItems, paletteSections } from '@/lib/editor/palette';
import { EditorStoreContext } from './editor-context';
import { editorKeys } from './editor-api';
import { FlowCanvas } from './flow-canvas';
import type { StepStatus } from './step-node';

const NO_PROBLEMS = new Map<string, number>();

/**
 * A flow drawn but not editable: a run's steps coloured by their result, a version, or the
 * difference between two versions. Clicking a step reports it (the run page scrolls to it).
 */
export function ReadonlyFlow({
  document,
  statuses,
  diffs,
  removedEdges,
  onSelectNode,
  className = 'h-96',
  label,
}: {
  document: EditorDocument;
  statuses?: ReadonlyMap<string, StepStatus>;
  diffs?: ReadonlyMap<string, 'added' | 'removed' | 'changed'>;
  removedEdges?: ReadonlySet<string>;
  onSelectNode?: (nodeId: string) => void;
  className?: string;
  label: string;
}) {
  const [store] = useState(() => createEditorStore({ flowId: 'view', doc: document, version: 0 }));
  useEffect(() => {
    if (store.getState().doc !== document) store.getState().load(document, 0, []);
  }, [store, document]);
  const applications = useQuery({
    queryKey: editorKeys.applications,
    queryFn: async () =>
      (await apiFetch<{ applications: (CatalogApplication & { objects?: CatalogObject[] })[] }>('/api/connectors')).applications,
  });
  const catalog = useMemo(
    () => new Map(paletteItems(paletteSections(applications.data ?? [])).map((i) => [i.type, i])),
    [applications.data],
  );
  const accounts = useAccounts();
  const accountNames = useMemo(() => (accounts.data ? new Map(accounts.data.map((a) => [a.id, a.name])) : undefined), [accounts.data]);
  return (
    <EditorStoreContext.Provider value={store}>
      <div
        className={`overflow-hidden rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-950 ${className}`}
        role="group"
        aria-label={label}
      >
        <ReactFlowProvider>
          <FlowCanvas
            catalog={catalog}
            accountNames={accountNames}
            problemsByNode={NO_PROBLEMS}
            statuses={statuses}
            diffs={diffs}
            removedEdges={removedEdges}
            onNodeClick={onSelectNode}
            readOnly
          />
        </ReactFlowProvider>
      </div>
    </EditorStoreContext.Provider>
  );
}
