import { createHash } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Db } from '@/lib/db/database';
import { RUNS_ENQUEUED } from './pg-channels';
import type { RunQueue } from './run-queue';

/**
 * The scale-out queue (QUEUE=pg-boss): one pg-boss job `{ runId }` per run, inserted in the very
 * transaction that inserted the run row (pg-boss takes that transaction's connection through its
 * `db` option), so a rolled-back enqueue leaves neither, and a committed one leaves both.
 *
 * pg-boss runs on the application's own Kysely pool (no second pool, the same DATABASE_POOL_MAX)
 * and installs its schema (`pgboss`) itself on first start. Its cron scheduler is off: schedules
 * and pollers are the trigger loop's, under the `triggers` lease.
 */
export const RUN_JOBS = 'flow-runs';

/** How the job for a run is kept; the run row, not the job, is the truth about the run. */
const QUEUE_OPTIONS = {
  policy: 'standard',
  // A handler that throws (database blip) is retried a few times; after that the embedded poll loop
  // (the safety net, see start-runtime.ts) still finds the run in the runs table.
  retryLimit: 5,
  retryDelay: 2,
  retryBackoff: true,
  // pg-boss hands out again a job active for longer than this, without stopping its first handler:
  // the second finds the run held by a live lease and completes as skipped, and the run's fence
  // (run-store.ts) keeps a first handler that lost the run from recording anything. So this only
  // bounds how long a job fetched by a worker that died stays active.
  expireInSeconds: 15 * 60,
} as const;

export interface PgBossRunQueue extends RunQueue {
  readonly name: 'pg-boss';
  readonly boss: PgBoss;
  /** A local consumer subscribes here: woken after an enqueue committed (here, or elsewhere through pg-notify.ts). */
  onWake(waker: () => void): () => void;
  /** Stops pg-boss (its maintenance timers); the database stays open. */
  close(): Promise<void>;
}

/**
 * Starts pg-boss on `db` (PostgreSQL), creating its schema and the `flow-runs` queue when missing.
 * `supervise` runs pg-boss's maintenance (expiring jobs whose handler outlived `expireInSeconds`,
 * archiving): on in processes that consume, off in web-only ones.
 * @example const queue = await openPgBossQueue(db, { supervise: true }); setRunQueue(queue);
 */
export async function openPgBossQueue(db: Db, opts: { supervise?: boolean; log?: (m: string) => void } = {}): Promise<PgBossRunQueue> {
  if (db.kind !== 'postgres') throw new Error('QUEUE=pg-boss needs PostgreSQL (DATABASE_URL).');
  const log = opts.log ?? ((m: string) => console.error(m));
  const boss = await startBoss(db, opts.supervise ?? true, log);

  const wakers = new Set<() => void>();
  return {
    name: 'pg-boss',
    boss,
    async announce(tx, runIds) {
      if (runIds.length === 0) return;
      // insert (not send): one statement for the whole batch. The job id is derived from the run id,
      // so announcing a run again while its job exists makes no second job (ON CONFLICT DO NOTHING).
      await boss.insert(
        runIds.map((runId) => ({ id: jobIdOf(runId), name: RUN_JOBS, data: { runId }, singletonKey: runId })),
        { db: sqlOn(tx) },
      );
      // Tells the consumers of every process (pg-notify.ts). Sent in the enqueueing transaction:
      // PostgreSQL delivers it at commit, after the rows are visible, and drops it on rollback.
      await sql`SELECT pg_notify(${RUNS_ENQUEUED}, '')`.execute(tx.db);
    },
    wake() {
      for (const w of wakers) w();
    },
    onWake(waker) {
      wakers.add(waker);
      return () => wakers.delete(waker);
    },
    async close() {
      wakers.clear();
      await boss.stop({ graceful: true, close: false, wait: true, timeout: 1_000 });
    },
  };
}

/**
 * Starts pg-boss and its queue. Several processes starting at once on a new database race to
 * install pg-boss's schema; PostgreSQL may pick one of them as a deadlock victim (40P01): that
 * start is simply tried again, a little later, and then finds the schema installed.
 */
async function startBoss(db: Db, supervise: boolean, log: (m: string) => void): Promise<PgBoss> {
  for (let attempt = 0; ; attempt++) {
    const boss = new PgBoss({ db: sqlOn(db), schedule: false, supervise, migrate: true });
    // An EventEmitter without an 'error' listener throws; pg-boss reports maintenance failures here.
    boss.on('error', (err: Error) => log(`pg-boss: ${err.name}: ${err.message}`));
    try {
      await boss.start();
      await boss.createQueue(RUN_JOBS, { name: RUN_JOBS, ...QUEUE_OPTIONS });
      return boss;
    } catch (err) {
      const deadlock = (err as { code?: string }).code === '40P01' || /deadlock detected/i.test(String((err as Error).message));
      if (!deadlock || attempt >= 4) throw err;
      await boss.stop({ graceful: false, close: false, wait: true, timeout: 500 }).catch(() => {});
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt + Math.random() * 50));
    }
  }
}

/** The pg-boss job id of a run: a UUID made from the run id, so one run has one job id. */
export function jobIdOf(runId: string): string {
  const h = createHash('sha256').update(`flow-run:${runId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 (name-based)
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * pg-boss's `db` port over a Kysely handle: the pool for pg-boss's own work, or, given a
 * transaction handle, that transaction's connection (an error there aborts the caller's
 * transaction, as it should). Statements without values (its schema migrations) go through pg's
 * simple protocol, which allows several at once — including BEGIN … COMMIT: when one fails (two
 * processes installing the schema at once: the loser's CREATE finds it there, which pg-boss
 * expects), the connection is left inside an aborted transaction, so on the pool every failed
 * statement is followed by a ROLLBACK on its connection before the connection goes back.
 */
function sqlOn(db: Db): PgBoss.Db {
  const raw = (text: string, values?: unknown[]) => CompiledQuery.raw(text, values ?? []);
  if (db.db.isTransaction) {
    return {
      executeSql: async (text: string, values?: unknown[]) => ({ rows: (await db.db.executeQuery(raw(text, values))).rows as unknown[] }),
    };
  }
  return {
    executeSql: (text: string, values?: unknown[]) =>
      db.db.connection().execute(async (conn) => {
        try {
          return { rows: (await conn.executeQuery(raw(text, values))).rows as unknown[] };
        } catch (err) {
          // Outside a transaction block this only draws a warning; inside one it ends it.
          await conn.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => {});
          throw err;
        }
      }),
  };
}
