import { describe, expect, it } from 'vitest';
import { createPreviewRunner, PREVIEW_CANCELLED } from './preview-runner';

// Node has no Web Worker, so these run the runner's page-thread path: its queue, the newer
// request for a key replacing the older one, and dispose. The worker path needs a browser.
describe('createPreviewRunner without a Worker API', () => {
  it('answers on the page thread with the same results as previewExpression', async () => {
    const runner = createPreviewRunner();
    expect(await runner.run('a', '$vars.x * 2', { vars: { x: 21 } })).toEqual({ ok: true, value: 42 });
    expect(await runner.run('a', '$vars.x +', { vars: {} })).toMatchObject({ ok: false, code: 'S0207' });
    runner.dispose();
  });

  it('runs requests of different keys in turn, and a newer request replaces a queued one of its key', async () => {
    const runner = createPreviewRunner();
    const first = runner.run('a', '1', {});
    const other = runner.run('b', '2', {});
    const stale = runner.run('c', '3', {});
    const fresh = runner.run('c', '4', {});
    expect(await first).toEqual({ ok: true, value: 1 });
    expect(await other).toEqual({ ok: true, value: 2 });
    expect(await stale).toMatchObject({ ok: false, code: PREVIEW_CANCELLED });
    expect(await fresh).toEqual({ ok: true, value: 4 });
    runner.dispose();
  });

  it('cancels the running request of a key when a newer one comes, and everything on dispose', async () => {
    const runner = createPreviewRunner();
    const running = runner.run('a', '($f := function($n){ $n > 0 ? $f($n) : 0 }; $f(1))', {}, 200);
    const newer = runner.run('a', '"new"', {});
    expect(await running).toMatchObject({ ok: false, code: PREVIEW_CANCELLED });
    expect(await newer).toEqual({ ok: true, value: 'new' });
    const queued = runner.run('b', '1', {});
    const queued2 = runner.run('c', '2', {});
    runner.dispose();
    expect(await queued).toMatchObject({ ok: false, code: PREVIEW_CANCELLED });
    expect(await queued2).toMatchObject({ ok: false, code: PREVIEW_CANCELLED });
    expect(await runner.run('a', '1', {})).toMatchObject({ ok: false, code: PREVIEW_CANCELLED });
  });
});
