import { describe, expect, it } from 'vitest';
import { migrateDocument } from './migrate';

const ACC = 'acc-1';
const docWith = (node: Record<string, unknown>): unknown => ({
  schemaVersion: 2,
  name: 'n',
  nodes: [{ id: 'n1', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} }, ...node }],
  edges: [],
});
const problemsOf = (node: Record<string, unknown>) => {
  const r = migrateDocument(docWith(node));
  return r.ok ? [] : r.problems;
};

describe('node schema', () => {
  it('refuses a type outside the catalog', () => {
    expect(problemsOf({ type: 'dynamics.lead.explode' })).toEqual([expect.objectContaining({ nodeId: 'n1', field: 'type' })]);
    expect(problemsOf({ type: 'dynamics.Lead.new' })).toEqual([expect.objectContaining({ field: 'type' })]);
    expect(problemsOf({ type: 'toolbox.sleep' })).toEqual([expect.objectContaining({ field: 'type' })]);
  });

  it('refuses an unknown type version', () => {
    expect(problemsOf({ type: 'manual.trigger', typeVersion: 7 })).toEqual([expect.objectContaining({ field: 'typeVersion' })]);
  });

  it('Dynamics steps need an account; others have none', () => {
    expect(problemsOf({ type: 'dynamics.lead.new' })).toEqual([expect.objectContaining({ field: 'params.accountId' })]);
    expect(problemsOf({ type: 'dynamics.lead.new', params: { accountId: ACC, inputs: {} } })).toEqual([]);
    expect(problemsOf({ type: 'manual.trigger', params: { accountId: ACC, inputs: {} } })).toEqual([
      expect.objectContaining({ field: 'params.accountId' }),
    ]);
  });

  it('fills in defaults from the kind', () => {
    const r = migrateDocument(docWith({ type: 'toolbox.for_each', params: { inputs: { items: { expr: '[1,2]' } } } }));
    expect(r.ok && r.document.nodes[0]!.params.inputs).toEqual({ items: { expr: '[1,2]' }, concurrency: 1, maxItems: 5000 });
  });

  it('For each: concurrency 1–20 and at most 5,000 items', () => {
    const fe = (inputs: Record<string, unknown>) => problemsOf({ type: 'toolbox.for_each', params: { inputs: { items: [], ...inputs } } });
    expect(fe({ concurrency: 20 })).toEqual([]);
    expect(fe({ concurrency: 21 })).toEqual([expect.objectContaining({ field: 'params.inputs.concurrency' })]);
    expect(fe({ concurrency: 0 })).toEqual([expect.objectContaining({ field: 'params.inputs.concurrency' })]);
    expect(fe({ maxItems: 5001 })).toEqual([expect.objectContaining({ field: 'params.inputs.maxItems' })]);
  });

  it('Scheduler: an interval of at least a minute, or cron with a real time zone', () => {
    const s = (inputs: Record<string, unknown>) => problemsOf({ type: 'scheduler.schedule', params: { inputs } });
    expect(s({ mode: 'interval', everySeconds: 60 })).toEqual([]);
    expect(s({ mode: 'interval', everySeconds: 59 })).not.toEqual([]);
    expect(s({ mode: 'cron', cron: '0 9 * * MON-FRI', timeZone: 'America/New_York' })).toEqual([]);
    expect(s({ mode: 'cron', cron: '0 9 * * MON-FRI', timeZone: 'Mars/Olympus' })).toEqual([
      expect.objectContaining({ field: 'params.inputs.timeZone' }),
    ]);
    expect(s({ mode: 'cron', cron: 'every day', timeZone: 'UTC' })).toEqual([expect.objectContaining({ field: 'params.inputs.cron' })]);
  });

  it('Dynamics event: poll interval ≥ 60 s; Deleted takes no conditions', () => {
    const e = (event: string, inputs: Record<string, unknown>) =>
      problemsOf({ type: `dynamics.lead.${event}`, params: { accountId: ACC, inputs } });
    const conditions = { match: 'all', rules: [{ left: { column: 'statuscode' }, operator: 'eq', right: 1 }] };
    expect(e('new', { intervalSeconds: 30 })).toEqual([expect.objectContaining({ field: 'params.inputs.intervalSeconds' })]);
    expect(e('updated', { conditions })).toEqual([]);
    expect(e('deleted', { conditions })).toEqual([expect.objectContaining({ field: 'params.inputs.conditions' })]);
  });

  it('conditions: unary operators take no right-hand value, the others need one', () => {
    const iff = (rule: Record<string, unknown>) =>
      problemsOf({ type: 'toolbox.if', params: { inputs: { condition: { match: 'any', rules: [rule] } } } });
    expect(iff({ left: { expr: '$x' }, operator: 'is_empty' })).toEqual([]);
    expect(iff({ left: { expr: '$x' }, operator: 'is_empty', right: 1 })).not.toEqual([]);
    expect(iff({ left: { expr: '$x' }, operator: 'eq' })).not.toEqual([]);
  });

  it('inputs: literal, expression, reference and wrapped literal', () => {
    const log = (message: unknown) => problemsOf({ type: 'toolbox.log', params: { inputs: { message } } });
    expect(log('text')).toEqual([]);
    expect(log(42)).toEqual([]);
    expect(log({ expr: '$now()' })).toEqual([]);
    expect(log({ ref: { step: 'n0', path: 'output.id' } })).toEqual([]);
    expect(log({ literal: { expr: 'not an expression' } })).toEqual([]);
    expect(log({ expr: '   ' })).not.toEqual([]);
  });

  it('triggers and Fail have no retry policy or on-error', () => {
    expect(problemsOf({ type: 'toolbox.fail', params: { inputs: { message: 'x' }, onError: 'route' } })).toEqual([
      expect.objectContaining({ field: 'params', message: 'Fail has no retry policy or on-error setting' }),
    ]);
    expect(problemsOf({ type: 'toolbox.log', params: { inputs: { message: 'x' }, onError: 'route', retry: { maxAttempts: 2 } } })).toEqual(
      [],
    );
    expect(problemsOf({ type: 'manual.trigger', params: { inputs: {}, onError: 'route' } })).toEqual([
      expect.objectContaining({ field: 'params' }),
    ]);
  });
});

describe('input forms', () => {
  const log = (message: unknown) => problemsOf({ type: 'toolbox.log', params: { inputs: { message } } });
  it('an object with expr, ref or literal must be exactly that form', () => {
    expect(log({ expr: '$x', comment: 'typo' })).not.toEqual([]);
    expect(log({ ref: { step: 'a', pth: 'x' } })).not.toEqual([]);
    expect(log({ literal: 1, also: 2 })).not.toEqual([]);
    expect(log({ body: [{ name: { expr: '$steps.a.name' } }] })).toEqual([]);
    expect(log({ body: [{ name: { expr: '$x', typo: 1 } }] })).toEqual([
      expect.objectContaining({ field: 'params.inputs.message.body.0.name' }),
    ]);
    expect(log({ literal: { name: { expr: 'not evaluated', typo: 1 } } })).toEqual([]);
  });
});
