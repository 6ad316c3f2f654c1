import { describe, expect, it } from 'vitest';
import type { RunStepView, RunView } from '@/lib/flows/service/run-view';
import { applyRunEvent, parseRunEvent } from './apply-run-event';

const step = (stepId: string, attempt: number, status: string): RunStepView => ({
  stepId,
  nodeId: stepId,
  nodeType: 'toolbox.log',
  attempt,
  status,
  input: { n: attempt },
  output: status === 'succeeded' ? { ok: true } : undefined,
  error: status === 'failed' ? { code: 'boom', message: 'Boom' } : undefined,
  startedAt: '2026-03-10T12:00:00.000Z',
  finishedAt: status === 'running' ? null : '2026-03-10T12:00:01.000Z',
  durationMs: status === 'running' ? null : 1_000,
});

const run: RunView = {
  id: '01J00000000000000000000001',
  flowId: '01J00000000000000000000002',
  flowVersion: 3,
  mode: 'live',
  status: 'running',
  triggerKind: 'api.request',
  rerunOf: null,
  error: null,
  startedAt: '2026-03-10T12:00:00.000Z',
  finishedAt: null,
  createdAt: '2026-03-10T11:59:59.000Z',
  durationMs: null,
  trigger: { body: { name: 'Ada' } },
  steps: [step('request', 1, 'succeeded'), step('call', 1, 'running')],
};

describe('applyRunEvent', () => {
  it('takes a full view as it is', () => {
    expect(applyRunEvent(undefined, { type: 'run', data: run })).toBe(run);
  });

  it('merges a run row without steps, keeping steps and trigger data', () => {
    const { trigger: _t, steps: _s, ...row } = run;
    const next = applyRunEvent(run, {
      type: 'run',
      data: { ...row, status: 'succeeded', finishedAt: '2026-03-10T12:00:02.000Z', durationMs: 2_000 },
    });
    expect(next).toMatchObject({ status: 'succeeded', durationMs: 2_000, trigger: run.trigger });
    expect(next!.steps).toBe(run.steps);
    expect(applyRunEvent(undefined, { type: 'run', data: row })).toBeUndefined();
  });

  it('replaces the attempt a step event names and appends new attempts in order', () => {
    const finished = applyRunEvent(run, { type: 'step', data: step('call', 1, 'failed') })!;
    expect(finished.steps.map((s) => [s.stepId, s.attempt, s.status])).toEqual([
      ['request', 1, 'succeeded'],
      ['call', 1, 'failed'],
    ]);
    const retried = applyRunEvent(finished, { type: 'step', data: step('call', 2, 'running') })!;
    expect(retried.steps.map((s) => [s.stepId, s.attempt, s.status])).toEqual([
      ['request', 1, 'succeeded'],
      ['call', 1, 'failed'],
      ['call', 2, 'running'],
    ]);
    expect(run.steps).toHaveLength(2); // the input is never changed in place
  });

  it('ignores a step event before the full view arrived', () => {
    expect(applyRunEvent(undefined, { type: 'step', data: step('call', 1, 'running') })).toBeUndefined();
  });
});

describe('parseRunEvent', () => {
  it('reads run and step frames', () => {
    expect(parseRunEvent('run', JSON.stringify(run))).toEqual({ type: 'run', data: run });
    expect(parseRunEvent('step', JSON.stringify(step('a', 1, 'running')))?.type).toBe('step');
  });

  it('skips unknown events and frames it cannot read', () => {
    expect(parseRunEvent('message', '{}')).toBeNull();
    expect(parseRunEvent('run', 'not json')).toBeNull();
    expect(parseRunEvent('run', 'null')).toBeNull();
    expect(parseRunEvent('run', '{"status":"running"}')).toBeNull();
    expect(parseRunEvent('step', '{"status":"running"}')).toBeNull();
  });
});
