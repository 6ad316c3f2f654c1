'use client';

import { useMemo } from 'react';
import { ReadonlyFlow } from '@/components/editor/readonly-flow';
import type { StepStatus } from '@/components/editor/step-node';
import { toEditorDocument } from '@/lib/editor/editor-document';
import type { RunStepView } from '@/lib/flows/service/run-view';

/** What a drawing of the flow needs to show one run on it. */
export interface RunFlowCanvasProps {
  flowId: string;
  flowVersion: number;
  /** The flow document of that version, as stored (undefined while it loads). */
  document: unknown;
  /** Each node's latest step attempt (lib/runs/latest-step-by-node.ts): colour the node by its status. */
  stepsByNode: Map<string, RunStepView>;
  /** Call with a node id when the user picks a node: the run page scrolls to that step's result. */
  onSelectNode: (nodeId: string) => void;
}

const KNOWN: ReadonlySet<string> = new Set(['running', 'waiting', 'succeeded', 'failed', 'skipped']);

/** The run drawn on the flow it ran (that version), each step coloured by its result. */
export function RunFlowCanvasSlot({ document, stepsByNode, onSelectNode, flowVersion }: RunFlowCanvasProps): React.ReactNode {
  const doc = useMemo(() => (document === undefined ? undefined : toEditorDocument(document)), [document]);
  const statuses = useMemo(() => {
    const m = new Map<string, StepStatus>();
    for (const n of doc?.nodes ?? []) {
      const s = stepsByNode.get(n.id)?.status;
      if (s && KNOWN.has(s)) m.set(n.id, s as StepStatus);
    }
    return m;
  }, [doc, stepsByNode]);
  if (!doc) return null;
  return (
    <section className="card p-3" aria-label="The flow, with each step's result" data-testid="run-canvas">
      <ReadonlyFlow
        document={doc}
        statuses={statuses}
        onSelectNode={onSelectNode}
        className="h-80"
        label={`Version ${flowVersion} of the flow with each step's result`}
      />
    </section>
  );
}
