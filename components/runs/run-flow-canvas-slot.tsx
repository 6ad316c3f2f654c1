'use client';

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

/**
 * SLOT for the editor's canvas (components/editor, being built): the run page renders this where
 * the flow, drawn with each step's result, belongs — above the timeline. It draws nothing until the
 * canvas exists; then render the canvas here, read-only, with `props`.
 */
export function RunFlowCanvasSlot(props: RunFlowCanvasProps): React.ReactNode {
  void props;
  return null;
}
