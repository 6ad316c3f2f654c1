'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { StepStatus } from './step-node';

export interface TestRunState {
  runId: string;
  status: string;
  error?: { code: string; message: string } | null;
  /** Latest status per node id (the last iteration inside a For each wins). */
  statuses: Map<string, StepStatus>;
  /** Latest recorded step per node id, for the inspector. */
  steps: Map<string, { input: unknown; output: unknown; error: unknown; status: string; durationMs: number | null }>;
  /** The step a "Test this step" run tries; undefined for a whole-flow test. */
  onlyNodeId?: string;
  /** For each step with a result: the document's step fingerprints when that result was produced (lib/editor/stale-steps.ts). */
  tested: Map<string, ReadonlyMap<string, string>>;
}

export interface FollowOptions {
  /** The document's step fingerprints as the test starts. */
  fingerprints: ReadonlyMap<string, string>;
  /** "Test this step": keep the other steps' earlier results and statuses. */
  onlyNodeId?: string;
}

interface StepEvent {
  nodeId: string | null;
  stepId: string;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  durationMs: number | null;
}

/**
 * Follows a test run live over server-sent events (`/api/runs/{id}/events`): each step lights up as
 * it runs, succeeds or fails; steps the run never reached are shown skipped once it ends. A
 * "Test this step" run updates only its step and keeps what the earlier tests showed of the others.
 */
export function useTestRun(nodeIds: readonly string[]) {
  const [run, setRun] = useState<TestRunState | undefined>();
  const source = useRef<EventSource | undefined>(undefined);
  const ids = useRef(nodeIds);
  useEffect(() => {
    ids.current = nodeIds;
  }, [nodeIds]);

  const stop = useCallback(() => {
    source.current?.close();
    source.current = undefined;
  }, []);

  const latest = useRef<TestRunState | undefined>(undefined);
  useEffect(() => {
    latest.current = run;
  }, [run]);

  const follow = useCallback(
    (runId: string, options: FollowOptions) => {
      stop();
      const previous = options.onlyNodeId ? latest.current : undefined;
      const state: TestRunState = {
        runId,
        status: 'queued',
        statuses: new Map(previous?.statuses),
        steps: new Map(previous?.steps),
        tested: new Map(previous?.tested),
        ...(options.onlyNodeId ? { onlyNodeId: options.onlyNodeId } : {}),
      };
      if (options.onlyNodeId) state.statuses.set(options.onlyNodeId, 'running');
      setRun(state);
      const snapshot = () => ({ ...state, statuses: new Map(state.statuses), steps: new Map(state.steps), tested: new Map(state.tested) });
      const es = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
      source.current = es;
      const apply = (step: StepEvent) => {
        const nodeId = step.nodeId ?? step.stepId.split('/').pop()!;
        state.statuses.set(
          nodeId,
          (step.status === 'succeeded' || step.status === 'failed' || step.status === 'running' ? step.status : 'running') as StepStatus,
        );
        state.steps.set(nodeId, {
          input: step.input,
          output: step.output,
          error: step.error,
          status: step.status,
          durationMs: step.durationMs,
        });
        state.tested.set(nodeId, options.fingerprints);
      };
      es.addEventListener('run', (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as { status: string; error?: TestRunState['error']; steps?: StepEvent[] };
        for (const s of data.steps ?? []) apply(s);
        state.status = data.status;
        state.error = data.error ?? null;
        if (['succeeded', 'failed', 'cancelled'].includes(data.status)) {
          if (!options.onlyNodeId) for (const id of ids.current) if (!state.statuses.has(id)) state.statuses.set(id, 'skipped');
          es.close();
        }
        setRun(snapshot());
      });
      es.addEventListener('step', (e) => {
        apply(JSON.parse((e as MessageEvent<string>).data) as StepEvent);
        setRun(snapshot());
      });
      es.onerror = () => {
        if (['succeeded', 'failed', 'cancelled'].includes(state.status)) es.close();
      };
    },
    [stop],
  );

  useEffect(() => stop, [stop]);
  return { run, follow, clear: () => (stop(), setRun(undefined)) };
}
