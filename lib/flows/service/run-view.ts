import type { RunStep } from '@/lib/db/repositories/run-steps';
import type { Run } from '@/lib/db/repositories/runs';

export interface RunStepView {
  stepId: string;
  nodeId: string | null;
  nodeType: string | null;
  attempt: number;
  status: string;
  /** Already redacted by the runtime when it was recorded. */
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface RunSummary {
  id: string;
  flowId: string;
  flowVersion: number;
  mode: string;
  status: string;
  triggerKind: string | null;
  rerunOf: string | null;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  durationMs: number | null;
}

export interface RunView extends RunSummary {
  trigger: unknown;
  steps: RunStepView[];
}

export const TERMINAL_RUN_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

const elapsed = (from: string | null, to: string | null) => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null);

export function toRunSummary(run: Run): RunSummary {
  return {
    id: run.id,
    flowId: run.flowId,
    flowVersion: run.flowVersion,
    mode: run.mode,
    status: run.status,
    triggerKind: run.triggerKind,
    rerunOf: run.rerunOf,
    error: run.error,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    createdAt: run.createdAt,
    durationMs: elapsed(run.startedAt, run.finishedAt),
  };
}

export function toRunStepView(step: RunStep): RunStepView {
  return {
    stepId: step.stepId,
    nodeId: step.nodeId,
    nodeType: step.nodeType,
    attempt: step.attempt,
    status: step.status,
    input: step.input,
    output: step.output,
    error: step.error,
    startedAt: step.startedAt,
    finishedAt: step.finishedAt,
    durationMs: step.durationMs ?? elapsed(step.startedAt, step.finishedAt),
  };
}

export function toRunView(run: Run, steps: readonly RunStep[]): RunView {
  return { ...toRunSummary(run), trigger: run.trigger, steps: steps.map(toRunStepView) };
}
