import { describe, expect, it } from 'vitest';
import type { RunStepView } from '@/lib/flows/service/run-view';
import { latestStepByNode } from './latest-step-by-node';

const step = (stepId: string, nodeId: string | null, attempt: number, status: string): RunStepView => ({
  stepId,
  nodeId,
  nodeType: 'toolbox.log',
  attempt,
  status,
  input: null,
  output: null,
  error: null,
  startedAt: null,
  finishedAt: null,
  durationMs: null,
});

describe('latestStepByNode', () => {
  it('keeps the last attempt of each node and leaves out steps without a node', () => {
    const map = latestStepByNode([
      step('a', 'a', 1, 'failed'),
      step('b', 'b', 1, 'succeeded'),
      step('a', 'a', 2, 'succeeded'),
      step('x', null, 1, 'succeeded'),
    ]);
    expect([...map.keys()]).toEqual(['a', 'b']);
    expect(map.get('a')).toMatchObject({ attempt: 2, status: 'succeeded' });
  });
});
