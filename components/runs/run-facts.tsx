import Link from 'next/link';
import type { RunView } from '@/lib/flows/service/run-view';
import { formatDuration } from '@/lib/runs/format-duration';
import { formatDateTime } from '@/lib/runs/format-relative-time';
import { nodeTypeLabel } from '@/lib/runs/node-type-label';

/** The run's facts at a glance: when, how long, what started it, which version. */
export function RunFacts({ run, now }: { run: RunView; now: number }) {
  const duration = run.durationMs ?? (run.status === 'running' && run.startedAt ? Math.max(0, now - Date.parse(run.startedAt)) : null);
  const facts: { term: string; detail: React.ReactNode }[] = [
    { term: 'Started', detail: run.startedAt ? formatDateTime(run.startedAt) : `Queued ${formatDateTime(run.createdAt)}` },
    { term: 'Duration', detail: `${formatDuration(duration)}${run.status === 'running' ? ' so far' : ''}` },
    { term: 'Started by', detail: nodeTypeLabel(run.triggerKind) },
    { term: 'Flow version', detail: `Version ${run.flowVersion}` },
  ];
  if (run.rerunOf) {
    facts.push({
      term: 'Re-run of',
      detail: (
        <Link href={`/runs/${run.rerunOf}`} className="font-medium text-brand-700 hover:underline dark:text-brand-500">
          the earlier run
        </Link>
      ),
    });
  }
  return (
    <dl className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-x-6 gap-y-3" data-testid="run-facts">
      {facts.map((f) => (
        <div key={f.term} className="min-w-0">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">{f.term}</dt>
          <dd className="mt-0.5 text-sm text-slate-900 dark:text-slate-100">{f.detail}</dd>
        </div>
      ))}
    </dl>
  );
}
