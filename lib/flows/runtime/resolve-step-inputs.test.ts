import { afterAll, describe, expect, it } from 'vitest';
import { createExpressionEvaluator } from '../expressions/evaluator';
import type { ExpressionScope } from '../expressions/types';
import { resolveStepInputs } from './resolve-step-inputs';

const evaluator = createExpressionEvaluator({ workers: 1 });
afterAll(() => evaluator.close());

const scope: ExpressionScope = {
  trigger: { body: { name: 'Ada' } },
  steps: { make: { status: 'succeeded', output: { id: 'abc', tags: ['x'] } }, bad: { status: 'failed', error: { code: 'http_404' } } },
  vars: { n: 2 },
  run: { id: 'r1', flowId: 'f1', mode: 'test' },
};

describe('resolveStepInputs', () => {
  it('evaluates expressions at any depth, reads references by their documented path, keeps literals verbatim', async () => {
    const r = await resolveStepInputs(
      {
        name: { expr: '$trigger.body.name' },
        nested: { list: [{ expr: '$vars.n * 21' }, 'plain'] },
        byOutput: { ref: { step: 'make', path: 'output.id' } },
        whole: { ref: { step: 'make' } },
        errorCode: { ref: { step: 'bad', path: 'error.code' } },
        missing: { ref: { step: 'nowhere', path: 'output.id' } },
        proto: { ref: { step: 'make', path: '__proto__.polluted' } },
        verbatim: { literal: { expr: 'not evaluated' } },
      },
      scope,
      () => evaluator,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'Ada',
        nested: { list: [42, 'plain'] },
        byOutput: 'abc',
        whole: { id: 'abc', tags: ['x'] },
        errorCode: 'http_404',
        missing: null,
        proto: null,
        verbatim: { expr: 'not evaluated' },
      },
    });
  });

  it('names the input whose expression failed', async () => {
    const r = await resolveStepInputs({ fields: { lastname: { expr: '$number("x")' } } }, scope, () => evaluator);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.path).toBe('fields.lastname');
      expect(r.message).toMatch(/^fields\.lastname: /);
    }
  });
});
