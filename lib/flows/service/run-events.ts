import { listRunSteps } from '@/lib/db/repositories/run-steps';
import { findRun } from '@/lib/db/repositories/runs';
import { runChanges } from '../runtime/run-signals';
import type { FlowServiceContext } from './flow-context';
import { requireRun } from './get-run';
import { TERMINAL_RUN_STATUSES, toRunStepView, toRunSummary, toRunView } from './run-view';

export interface RunEventOptions {
  /** Ends the stream (the client went away). */
  signal: AbortSignal;
  /** How often the database is re-read when no in-process hint arrives (the worker may be another process). */
  pollMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  keepAliveMs?: number;
}

const encoder = new TextEncoder();
const frame = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * The live events of one of the owner's runs as Server-Sent Events: `run` with the full view
 * first, then `step` whenever a step row appears or changes and `run` (without steps) whenever the
 * run's row changes, ending after the terminal `run` event. The run is checked before the stream
 * starts, so another owner's id is a plain 404.
 */
export async function runEventStream(
  ctx: FlowServiceContext,
  runId: string,
  options: RunEventOptions,
): Promise<ReadableStream<Uint8Array>> {
  // Subscribed before the first read, so a change between a read and the wait is not missed.
  const changes = runChanges(runId);
  let first;
  try {
    first = await requireRun(ctx, runId);
  } catch (err) {
    changes.close();
    throw err;
  }
  const pollMs = options.pollMs ?? 250;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastWrite = Date.now();
      const send = (chunk: Uint8Array) => {
        controller.enqueue(chunk);
        lastWrite = Date.now();
      };
      try {
        const steps = await listRunSteps(ctx.db, ctx.ownerId, runId);
        send(frame('run', toRunView(first, steps)));
        const seenSteps = new Map(steps.map((s) => [s.id, JSON.stringify(s)]));
        let seenRun = JSON.stringify(first);
        let terminal = TERMINAL_RUN_STATUSES.has(first.status);
        while (!terminal && !stop.signal.aborted) {
          await changes.next(pollMs, stop.signal);
          if (stop.signal.aborted) break;
          const run = await findRun(ctx.db, ctx.ownerId, runId);
          if (!run) break; // deleted with its flow
          for (const step of await listRunSteps(ctx.db, ctx.ownerId, runId)) {
            const text = JSON.stringify(step);
            if (seenSteps.get(step.id) === text) continue;
            seenSteps.set(step.id, text);
            send(frame('step', toRunStepView(step)));
          }
          const runText = JSON.stringify(run);
          if (runText !== seenRun) {
            seenRun = runText;
            send(frame('run', toRunSummary(run)));
          }
          terminal = TERMINAL_RUN_STATUSES.has(run.status);
          if (!terminal && Date.now() - lastWrite >= keepAliveMs) send(encoder.encode(': keep-alive\n\n'));
        }
        controller.close();
      } catch (err) {
        // The client went away mid-write (enqueue on a cancelled stream) or the database failed: end the stream.
        if (!stop.signal.aborted) controller.error(err);
      } finally {
        changes.close();
        options.signal.removeEventListener('abort', onAbort);
      }
    },
    cancel() {
      changes.close();
      stop.abort();
    },
  });
}
