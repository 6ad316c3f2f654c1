import { PREVIEW_TIMEOUT_MS, previewExpression, type PreviewResult, type PreviewSample } from './expression-check';
import type { PreviewRequest, PreviewResponse } from './preview-worker';

/**
 * Runs expression previews in ONE Web Worker with a hard deadline (browser only; see
 * expression-check.ts for why a worker). Requests are queued and carry a key (one per editor):
 * a newer request for a key replaces the older one — dropped while queued; while running, the
 * worker is terminated, because a running evaluation cannot be interrupted otherwise and its
 * answer would be stale — and a fresh worker takes the queue. Past JSONata's own deadline plus a
 * grace, the worker is terminated as well and the preview says the expression took too long.
 *
 * Where no worker can start (no Worker API, a script that fails to load or never says it is
 * ready), previews run on the page's thread with JSONata's guardrails only: they still stop
 * loops and recursion, not one long built-in call.
 */
export interface PreviewRunner {
  run(key: string, text: string, sample: PreviewSample, timeoutMs?: number): Promise<PreviewResult>;
  /** Stops the worker; every pending preview resolves as cancelled. */
  dispose(): void;
}

/** Beyond JSONata's deadline: long enough that its own D1012 answer usually comes first. */
const HARD_GRACE_MS = 200;
/** A worker that has not loaded by then is taken as broken (the page's thread takes over). */
const START_DEADLINE_MS = 15_000;

interface Pending {
  key: string;
  request: PreviewRequest;
  settle(result: PreviewResult): void;
  timer?: ReturnType<typeof setTimeout>;
}

export const PREVIEW_CANCELLED = 'preview_cancelled';
const cancelled = (): PreviewResult => ({ ok: false, code: PREVIEW_CANCELLED, message: 'The preview was cancelled.' });
const timedOut = (ms: number): PreviewResult => ({
  ok: false,
  code: 'expression_timeout',
  message: `The expression took longer than ${ms} ms in the preview and was stopped.`,
});

export function createPreviewRunner(): PreviewRunner {
  let worker: Worker | null = null;
  let ready = false;
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  let broken = typeof Worker === 'undefined';
  let current: Pending | null = null;
  const queue: Pending[] = [];
  let nextId = 1;
  let disposed = false;

  const stopWorker = () => {
    clearTimeout(startTimer);
    worker?.terminate();
    worker = null;
    ready = false;
  };

  const finish = (p: Pending, result: PreviewResult) => {
    if (p === current) {
      current = null;
      clearTimeout(p.timer);
    } else {
      const at = queue.indexOf(p);
      if (at < 0) return;
      queue.splice(at, 1);
    }
    p.settle(result);
    pump();
  };

  const giveUpOnWorkers = () => {
    broken = true;
    stopWorker();
    // The request that was sent to the dead worker is answered on the page's thread.
    const p = current;
    current = null;
    if (p) queue.unshift(p);
    pump();
  };

  const startWorker = () => {
    try {
      // This exact form is what the bundler recognises as a worker entry (a same-origin script).
      const w = new Worker(new URL('./preview-worker.ts', import.meta.url));
      w.addEventListener('message', (event: MessageEvent<PreviewResponse>) => {
        if (w !== worker) return;
        const msg = event.data;
        if ('ready' in msg) {
          ready = true;
          clearTimeout(startTimer);
          pump();
        } else if (current && msg.id === current.request.id) {
          finish(current, msg.result);
        }
      });
      // The script did not load or threw at the top.
      w.addEventListener('error', (event) => {
        if (w !== worker) return;
        event.preventDefault();
        giveUpOnWorkers();
      });
      worker = w;
      startTimer = setTimeout(() => {
        if (w === worker && !ready) giveUpOnWorkers();
      }, START_DEADLINE_MS);
    } catch {
      broken = true;
    }
  };

  function pump() {
    if (disposed || current || queue.length === 0) return;
    if (!broken && !worker) startWorker();
    if (!broken && !ready) return; // the worker's `ready` pumps again
    const p = queue.shift()!;
    current = p;
    const timeoutMs = p.request.options.timeoutMs ?? PREVIEW_TIMEOUT_MS;
    if (broken || !worker) {
      const { text, sample, options } = p.request;
      void previewExpression(text, sample, options).then((result) => finish(p, result));
      return;
    }
    p.timer = setTimeout(() => {
      stopWorker();
      finish(p, timedOut(timeoutMs));
    }, timeoutMs + HARD_GRACE_MS);
    try {
      worker.postMessage(p.request);
    } catch (err) {
      // The sample could not be copied to the worker: it is not plain data.
      finish(p, { ok: false, code: 'expression_failed', message: `The sample data cannot be used: ${String(err)}` });
    }
  }

  return {
    run(key, text, sample, timeoutMs = PREVIEW_TIMEOUT_MS) {
      if (disposed) return Promise.resolve(cancelled());
      for (const old of queue.filter((q) => q.key === key)) finish(old, cancelled());
      if (current?.key === key) {
        // Running an older text for the same editor: only stopping the worker stops it.
        if (worker && ready && !broken) stopWorker();
        finish(current, cancelled());
      }
      return new Promise<PreviewResult>((resolve) => {
        queue.push({ key, request: { id: nextId++, text, sample, options: { timeoutMs } }, settle: resolve });
        pump();
      });
    },
    dispose() {
      disposed = true;
      stopWorker();
      if (current) finish(current, cancelled());
      while (queue.length > 0) finish(queue[0]!, cancelled());
    },
  };
}
