import { EventEmitter } from 'node:events';
import { processSingleton } from '@/lib/process-singleton';

/**
 * In-process news of a run: "its row changed" (a step finished, a Response was recorded, it ended).
 * A hint only — the database is the truth, and news can be lost (scale-out: a dropped LISTEN
 * connection), so waiters also re-read the row on a short interval.
 */
const emitter = processSingleton('flows.run-signals', () => {
  const e = new EventEmitter();
  e.setMaxListeners(0);
  return e;
});

/** Sends a change to the other processes (scale-out installs PostgreSQL NOTIFY here, pg-notify.ts). */
export type RunChangeBroadcast = (runId: string) => void;
const remote = processSingleton<{ broadcast?: RunChangeBroadcast }>('flows.run-signals.broadcast', () => ({}));

/**
 * What the change was, when the worker is in this process: the API trigger's waiter can answer
 * from it without reading the row again.
 */
export interface RunChangeHint {
  response?: { status: number; headers: Record<string, string>; body: unknown };
  ended?: { status: 'succeeded' | 'failed' | 'cancelled'; error?: { code?: string; message?: string } };
}

export function notifyRunChanged(runId: string, hint?: RunChangeHint): void {
  emitter.emit(runId, hint);
  try {
    remote.broadcast?.(runId);
  } catch {
    // A hint: the broadcast must never fail the executor that reports a change.
  }
}

/**
 * News of a change made in another process (the NOTIFY listener): told to this process's waiters
 * only, never broadcast again, so a process cannot loop on its own notifications.
 */
export function notifyRunChangedLocally(runId: string): void {
  emitter.emit(runId);
}

/** Installs (or, with `undefined`, removes) the broadcast; returns a remove that only removes this one. */
export function setRunChangeBroadcast(fn: RunChangeBroadcast | undefined): () => void {
  remote.broadcast = fn;
  return () => {
    if (remote.broadcast === fn) remote.broadcast = undefined;
  };
}

/** Calls `listener` whenever the run changes in this process; returns the unsubscribe. */
export function onRunChanged(runId: string, listener: (hint?: RunChangeHint) => void): () => void {
  emitter.on(runId, listener);
  return () => emitter.off(runId, listener);
}

/**
 * A subscription taken before the caller reads the run, so no change is lost between its read and
 * its wait: `next` resolves at once when the run changed since the last `next`, else on the next
 * change, after `pollMs`, or on abort.
 */
export function runChanges(runId: string): {
  next(pollMs: number, signal?: AbortSignal): Promise<void>;
  /** The latest hint heard (a Response, the end), if the worker was in this process. */
  hint(): RunChangeHint | undefined;
  close(): void;
} {
  let changed = false;
  let latest: RunChangeHint | undefined;
  let wake: (() => void) | undefined;
  const off = onRunChanged(runId, (hint) => {
    changed = true;
    if (hint) latest = { ...latest, ...hint };
    wake?.();
  });
  return {
    hint: () => latest,
    next(pollMs, signal) {
      if (changed) {
        changed = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = undefined;
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, pollMs);
        wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    close: off,
  };
}
