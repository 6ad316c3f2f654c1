import { previewExpression, type PreviewOptions, type PreviewResult, type PreviewSample } from './expression-check';
import { findUnsupportedRegex, Re2RegexEngine } from './re2-regex';

/** Regular expressions run on RE2 here, as in a run. */
const regex = { engine: Re2RegexEngine, check: findUnsupportedRegex };

/**
 * The Web Worker that runs expression previews off the page's thread (see expression-check.ts for
 * why). Started by preview-runner.ts as `new Worker(new URL('./preview-worker.ts',
 * import.meta.url))`, which the bundler turns into a same-origin script: the app's CSP
 * (`script-src 'self'`, next.config.ts) allows that, and would refuse a worker made from a Blob.
 *
 * Protocol: out `{ ready: true }` once loaded (the runner's deadlines start from there, so a slow
 * first load is not taken for a runaway expression); then in `{ id, text, sample, options }`, out
 * `{ id, result }`, one answer per request.
 */
export interface PreviewRequest {
  id: number;
  text: string;
  sample: PreviewSample;
  options: Omit<PreviewOptions, 'regex'>;
}

export type PreviewResponse = { ready: true } | { id: number; result: PreviewResult };

addEventListener('message', (event: MessageEvent<PreviewRequest>) => {
  const { id, text, sample, options } = event.data;
  void previewExpression(text, sample, { ...options, regex }).then(
    (result) => postMessage({ id, result } satisfies PreviewResponse),
    (err: unknown) =>
      postMessage({
        id,
        result: { ok: false, code: 'expression_failed', message: err instanceof Error ? err.message : String(err) },
      } satisfies PreviewResponse),
  );
});

postMessage({ ready: true } satisfies PreviewResponse);
