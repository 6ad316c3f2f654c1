import type { RunStepView, RunSummary, RunView } from '@/lib/flows/service/run-view';

/** One Server-Sent Event of /api/runs/{id}/events, parsed. */
export type RunEvent = { type: 'run'; data: RunSummary | RunView } | { type: 'step'; data: RunStepView };

/**
 * The run as the page shows it after one live event. A `run` event carrying `steps` is the full
 * view (the stream's first event) and replaces what we had; one without is the run's row only and
 * keeps the steps. A `step` event replaces the attempt it names (same step id and attempt) or adds a
 * new one at the end — the stream sends steps in the order they start.
 */
export function applyRunEvent(current: RunView | undefined, event: RunEvent): RunView | undefined {
  if (event.type === 'run') {
    if ('steps' in event.data && Array.isArray(event.data.steps)) return event.data;
    if (!current) return undefined; // A row without steps cannot stand on its own: wait for the full view.
    return { ...current, ...event.data, trigger: current.trigger, steps: current.steps };
  }
  if (!current) return undefined;
  const step = event.data;
  const index = current.steps.findIndex((s) => s.stepId === step.stepId && s.attempt === step.attempt);
  const steps = index === -1 ? [...current.steps, step] : current.steps.map((s, i) => (i === index ? step : s));
  return { ...current, steps };
}

/** Reads one SSE `data:` payload; a frame we cannot read is skipped rather than breaking the page. */
export function parseRunEvent(type: string, data: string): RunEvent | null {
  if (type !== 'run' && type !== 'step') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return null;
    if (type === 'run' && typeof (parsed as { id?: unknown }).id !== 'string') return null;
    if (type === 'step' && typeof (parsed as { stepId?: unknown }).stepId !== 'string') return null;
    return { type, data: parsed } as RunEvent;
  } catch {
    return null;
  }
}
