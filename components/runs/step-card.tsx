'use client';

import type { RunStepView } from '@/lib/flows/service/run-view';
import { errorCode, errorMessage } from '@/lib/runs/error-message';
import { formatDuration } from '@/lib/runs/format-duration';
import { formatDateTime } from '@/lib/runs/format-relative-time';
import { nodeTypeLabel } from '@/lib/runs/node-type-label';
import { JsonBlock } from './json-block';
import { RunStatusBadge } from './run-status-badge';

/** One step attempt: what it is, how it went, and what went in and came out. */
export function StepCard({
  step,
  label,
  highlighted,
  retried = false,
}: {
  step: RunStepView;
  label: string;
  highlighted: boolean;
  /** A later attempt of the same step exists: this failure was not the end. */
  retried?: boolean;
}) {
  const message = errorMessage(step.error);
  const code = errorCode(step.error);
  const failed = step.status === 'failed';
  return (
    <li
      id={stepAnchor(step)}
      data-testid="step-card"
      data-step-id={step.stepId}
      data-status={step.status}
      className={`scroll-mt-6 px-4 py-4 transition-colors ${highlighted ? 'bg-brand-50/70 dark:bg-slate-800/70' : ''}`}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-medium text-slate-900 dark:text-slate-100" data-testid="step-name">
          {label}
        </h3>
        <RunStatusBadge status={step.status} />
        {retried && <span className="text-xs font-medium text-slate-600 dark:text-slate-400">Tried again</span>}
        {step.attempt > 1 && (
          <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-inset ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200">
            Attempt {step.attempt}
          </span>
        )}
        <span className="ml-auto text-xs tabular-nums text-slate-600 dark:text-slate-400" title={formatDateTime(step.startedAt)}>
          {formatDuration(step.durationMs)}
        </span>
      </div>
      <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
        {nodeTypeLabel(step.nodeType)}
        {step.stepId !== step.nodeId && <> · {step.stepId}</>}
      </p>
      {failed && message && (
        <p
          role="note"
          className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          data-testid="step-error"
        >
          {message}
          {code && <span className="ml-2 font-mono text-xs text-red-700 dark:text-red-300">({code})</span>}
        </p>
      )}
      <div className="mt-3 grid items-start gap-2 lg:grid-cols-2">
        <JsonBlock label="Input" value={step.input} testId="step-input" emptyText="This step received nothing." />
        {failed ? (
          <JsonBlock label="Error details" value={step.error} tone="error" testId="step-error-details" />
        ) : (
          <JsonBlock label="Output" value={step.output} testId="step-output" emptyText="This step returned nothing." />
        )}
      </div>
    </li>
  );
}

export function stepAnchor(step: RunStepView): string {
  return `step-${step.stepId}-${step.attempt}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
