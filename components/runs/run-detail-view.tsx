'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useFlow, useFlowVersion } from '@/components/flows/use-flow';
import { EmptyState } from '@/components/ui/empty-state';
import { FormError } from '@/components/ui/form-error';
import { Spinner } from '@/components/ui/spinner';
import { ApiRequestError } from '@/lib/browser/api-fetch';
import type { RunStepView } from '@/lib/flows/service/run-view';
import { errorCode, errorMessage } from '@/lib/runs/error-message';
import { formatDateTime } from '@/lib/runs/format-relative-time';
import { latestStepByNode } from '@/lib/runs/latest-step-by-node';
import { nodeNamesOf } from '@/lib/runs/node-names';
import { Breadcrumbs } from './breadcrumbs';
import { JsonBlock } from './json-block';
import { RerunButton } from './rerun-button';
import { RunFacts } from './run-facts';
import { RunFlowCanvasSlot } from './run-flow-canvas-slot';
import { RunModeBadge } from './run-mode-badge';
import { RunStatusBadge } from './run-status-badge';
import { RunTimeline } from './run-timeline';
import { StepCard, stepAnchor } from './step-card';
import { stepLabel } from './step-label';
import { useLiveRun } from './use-live-run';
import { useNow } from './use-now';

/** One run: its status and error, trigger data, the flow drawn with results (slot), the timeline and every step. */
export function RunDetailView({ runId }: { runId: string }) {
  const { run, live } = useLiveRun(runId);
  const data = run.data;
  const flow = useFlow(data?.flowId ?? '', { enabled: Boolean(data) });
  const version = useFlowVersion(data?.flowId ?? '', data?.flowVersion);
  const now = useNow(500, data?.status === 'running' || data?.status === 'queued');
  const [selected, setSelected] = useState<string | null>(null);
  const [rerunError, setRerunError] = useState<string | null>(null);

  if (run.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400" role="status">
        <Spinner /> Loading the run…
      </p>
    );
  }
  if (run.isError) {
    const gone = run.error instanceof ApiRequestError && run.error.status < 500;
    return gone ? (
      <EmptyState icon="clock" title="This run does not exist">
        It may have been deleted with its flow.{' '}
        <Link href="/flows" className="font-medium text-brand-700 underline dark:text-brand-500">
          Back to your flows
        </Link>
      </EmptyState>
    ) : (
      <FormError message="Could not load the run. Reload the page to try again." />
    );
  }

  const r = run.data;
  const names = nodeNamesOf(version.data?.document);
  const flowName = flow.data?.name ?? 'Flow';
  const message = errorMessage(r.error);
  const code = errorCode(r.error);
  const select = (step: RunStepView) => {
    setSelected(stepAnchor(step));
    document.getElementById(stepAnchor(step))?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const selectNode = (nodeId: string) => {
    const step = latestStepByNode(r.steps).get(nodeId);
    if (step) select(step);
  };

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumbs
          items={[
            { label: 'Flows', href: '/flows' },
            { label: flowName, href: `/flows/${r.flowId}` },
            { label: 'Runs', href: `/flows/${r.flowId}/runs` },
            { label: formatDateTime(r.startedAt ?? r.createdAt) },
          ]}
        />
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
              <span className="truncate">{flow.data ? `Run of ${flow.data.name}` : 'Run'}</span>
              <RunStatusBadge status={r.status} size="md" />
              <RunModeBadge mode={r.mode} />
            </h1>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" role="status" data-testid="run-live">
              {live === 'live'
                ? 'Following this run live: steps appear as they finish.'
                : live === 'connecting'
                  ? 'Connecting to follow this run live…'
                  : live === 'reconnecting'
                    ? 'Lost the live connection; trying again…'
                    : r.status === 'succeeded'
                      ? 'Every step finished.'
                      : r.status === 'failed'
                        ? 'The run stopped at a failed step.'
                        : r.status === 'cancelled'
                          ? 'The run was cancelled.'
                          : ''}
            </p>
          </div>
          <RerunButton runId={r.id} onError={setRerunError} />
        </div>
        {rerunError && (
          <div className="mt-3">
            <FormError message={rerunError} />
          </div>
        )}
      </div>

      {r.status === 'failed' && message && (
        <div
          role="alert"
          className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 dark:border-red-900 dark:bg-red-950/60"
          data-testid="run-error"
        >
          <p className="text-sm font-semibold text-red-900 dark:text-red-100">Why it failed</p>
          <p className="mt-1 text-sm text-red-800 dark:text-red-200">
            {message}
            {code && <span className="ml-2 font-mono text-xs text-red-700 dark:text-red-300">({code})</span>}
          </p>
        </div>
      )}

      <section className="card space-y-4 p-5" aria-labelledby="run-overview">
        <h2 id="run-overview" className="sr-only">
          Overview
        </h2>
        <RunFacts run={r} now={now} />
        <JsonBlock label="Trigger data" value={r.trigger} testId="run-trigger" emptyText="The trigger passed no data." />
      </section>

      <RunFlowCanvasSlot
        flowId={r.flowId}
        flowVersion={r.flowVersion}
        document={version.data?.document}
        stepsByNode={latestStepByNode(r.steps)}
        onSelectNode={selectNode}
      />

      <section className="card p-5" aria-labelledby="run-timeline-title">
        <h2 id="run-timeline-title" className="mb-4 text-base font-semibold">
          Timeline
        </h2>
        <RunTimeline run={r} names={names} now={now} onSelect={select} />
      </section>

      <section className="card overflow-hidden" aria-labelledby="run-steps-title">
        <div className="flex items-baseline justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-800">
          <h2 id="run-steps-title" className="text-base font-semibold">
            Steps
          </h2>
          <span className="text-sm text-slate-600 dark:text-slate-400">{countSteps(r.steps)}</span>
        </div>
        {r.steps.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600 dark:text-slate-400">
            {r.status === 'queued' ? 'The run is waiting for its turn.' : 'No step ran.'}
          </p>
        ) : (
          <ol className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="step-list">
            {r.steps.map((step) => (
              <StepCard
                key={`${step.stepId}-${step.attempt}`}
                step={step}
                label={stepLabel(step, names)}
                highlighted={selected === stepAnchor(step)}
                retried={r.steps.some((s) => s.stepId === step.stepId && s.attempt > step.attempt)}
              />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** "3 steps", or "2 steps, 4 attempts" when some step was tried more than once. */
function countSteps(steps: readonly RunStepView[]): string {
  const distinct = new Set(steps.map((s) => s.stepId)).size;
  const label = distinct === 1 ? '1 step' : `${distinct} steps`;
  return distinct === steps.length ? label : `${label}, ${steps.length} attempts`;
}
