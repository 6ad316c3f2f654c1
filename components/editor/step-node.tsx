'use client';

import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo } from 'react';
import { HANDLE_LABELS } from '@/lib/editor/step-info';
import { AppBadge } from './app-badge';

export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting';

export interface StepNodeData extends Record<string, unknown> {
  title: string;
  name?: string;
  application: string;
  category: string;
  subtitle?: string;
  problems: number;
  handles: string[];
  isTrigger: boolean;
  status?: StepStatus;
  /** Its last test result predates a change to it or to a step before it. */
  stale?: boolean;
  /** In a version diff: how this step changed. */
  diff?: 'added' | 'removed' | 'changed';
}

export type StepFlowNode = Node<StepNodeData, 'step'>;

const STATUS_RING: Record<StepStatus, string> = {
  running: 'ring-2 ring-brand-500 animate-pulse',
  waiting: 'ring-2 ring-amber-400',
  succeeded: 'ring-2 ring-emerald-500',
  failed: 'ring-2 ring-red-500',
  skipped: 'opacity-50',
};
const STATUS_TEXT: Record<StepStatus, string> = {
  running: 'Running',
  waiting: 'Waiting to retry',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
};
const DIFF_RING = { added: 'ring-2 ring-emerald-500', removed: 'ring-2 ring-red-500 opacity-60', changed: 'ring-2 ring-amber-400' };

/** A step on the canvas: its application, title, what it runs as, problems and (in a test) its status. */
function StepNodeView({ data, selected }: NodeProps<StepFlowNode>) {
  const outputs = data.handles;
  return (
    <div
      className={`w-56 rounded-lg border bg-white text-left shadow-sm dark:bg-slate-900 ${
        selected ? 'border-brand-500 shadow-md' : 'border-slate-200 dark:border-slate-700'
      } ${data.status ? STATUS_RING[data.status] : ''} ${data.diff ? DIFF_RING[data.diff] : ''}`}
      data-testid="step-node"
      data-status={data.status}
      data-stale={data.stale ? 'true' : undefined}
      data-diff={data.diff}
    >
      {!data.isTrigger && <Handle type="target" position={Position.Left} className="!h-3 !w-3 !border-2 !border-white !bg-slate-400" />}
      <div className="flex items-start gap-2.5 p-3">
        <AppBadge application={data.application} />
        <div className="min-w-0 flex-1">
          <p className="text-[11px] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
            {data.isTrigger ? 'Trigger' : data.category}
          </p>
          <p className="truncate text-sm font-semibold text-slate-900 dark:text-slate-100" title={data.name ?? data.title}>
            {data.name ?? data.title}
          </p>
          {data.name && <p className="truncate text-xs text-slate-500">{data.title}</p>}
          {data.subtitle && <p className="truncate text-xs text-slate-500 dark:text-slate-400">{data.subtitle}</p>}
        </div>
        {data.problems > 0 && (
          <span
            className="shrink-0 rounded-full bg-red-100 px-1.5 py-0.5 text-[11px] font-semibold text-red-700 dark:bg-red-950 dark:text-red-300"
            title={`${data.problems} problem${data.problems === 1 ? '' : 's'}`}
            data-testid="problem-badge"
          >
            {data.problems}
          </span>
        )}
      </div>
      {data.status && (
        <p className="flex items-center gap-2 border-t border-slate-100 px-3 py-1 text-xs text-slate-500 dark:border-slate-800">
          {STATUS_TEXT[data.status]}
          {data.stale && (
            <span
              className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-100"
              title="This step or a step before it changed since this result: test again to refresh it."
            >
              Changed since tested
            </span>
          )}
        </p>
      )}
      {outputs.map((handle, i) => (
        <Handle
          key={handle}
          id={handle}
          type="source"
          position={Position.Right}
          style={{ top: outputs.length === 1 ? '50%' : `${((i + 1) / (outputs.length + 1)) * 100}%` }}
          className={`!h-3 !w-3 !border-2 !border-white ${handle === 'error' ? '!bg-red-500' : '!bg-brand-500'}`}
        >
          {HANDLE_LABELS[handle] && (
            <span className="pointer-events-none absolute left-3 -top-2 whitespace-nowrap text-[10px] font-medium text-slate-500">
              {HANDLE_LABELS[handle]}
            </span>
          )}
        </Handle>
      ))}
    </div>
  );
}

export const StepNode = memo(StepNodeView);
