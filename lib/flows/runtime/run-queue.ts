import type { Db } from '@/lib/db/database';
import { processSingleton } from '@/lib/process-singleton';

/**
 * Where a new run is announced to the workers. The run row is always written first, in the
 * caller's transaction (with the trigger's cursor, when there is one); the queue then either does
 * nothing more (embedded: the runs table is the queue, and `wake` tells this process's workers at
 * once) or writes its own job in that same transaction (scale-out: pg-boss accepts the
 * transaction's connection), so a run row never exists without its job, nor a job without its row.
 */
export interface RunQueue {
  readonly name: 'embedded' | 'pg-boss';
  /** Called inside the transaction that inserted the run rows. */
  announce(tx: Db, runIds: readonly string[]): Promise<void>;
  /** Called after that transaction committed: wake local workers (a no-op where workers are remote). */
  wake(): void;
}

type Waker = () => void;
const wakers = processSingleton('flows.run-queue.wakers', () => new Set<Waker>());

/** Local workers subscribe here to be woken when a run is enqueued in this process. */
export function onRunEnqueued(waker: Waker): () => void {
  wakers.add(waker);
  return () => wakers.delete(waker);
}

export const embeddedQueue: RunQueue = {
  name: 'embedded',
  announce: async () => {},
  wake: () => {
    for (const w of wakers) w();
  },
};

const current = processSingleton<{ queue: RunQueue }>('flows.run-queue', () => ({ queue: embeddedQueue }));

/** The queue this process announces runs to: embedded unless the scale-out runtime installed pg-boss. */
export function runQueue(): RunQueue {
  return current.queue;
}

export function setRunQueue(queue: RunQueue): void {
  current.queue = queue;
}
