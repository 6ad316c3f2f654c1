/**
 * The pg-boss queue on a real PostgreSQL: a run row and its job are written in one transaction (a
 * rolled-back enqueue leaves neither; R2 after a burst of 1,000 concurrent enqueues, some rolled
 * back and some losing a dedupe race: no job without its run row, no run row without its job, one
 * job per run), a re-announce makes no second job, simultaneous first starts install pg-boss once
 * without leaving a pooled connection in an aborted transaction, and the consumer alone (no poll loop beside it)
 * executes announced runs and completes the jobs of runs that are not claimable.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@/lib/db/ids';
import { withTransaction } from '@/lib/db/transaction';
import { createTestUser, openTestDb, type TestDb } from '@/test/support/db';
import { flowDoc, storeFlow, waitForRuns } from '@/test/support/flow-docs';
import { createExpressionEvaluator } from '../expressions/evaluator';
import { DuplicateRunRace, enqueueRuns, type RunRequest } from './enqueue';
import { startPgBossConsumer } from './pg-boss-consumer';
import { jobIdOf, openPgBossQueue, RUN_JOBS, type PgBossRunQueue } from './pg-boss-queue';
import { claimRun } from './run-store';

describe('the pg-boss run queue on postgres', () => {
  let db: TestDb;
  let queue: PgBossRunQueue;
  let ownerId: string;
  let flowId: string;
  const evaluator = createExpressionEvaluator({ workers: 1 });

  beforeAll(async () => {
    db = await openTestDb('postgres');
    ownerId = (await createTestUser(db, 'pgboss')).id;
    flowId = await storeFlow(
      db,
      ownerId,
      flowDoc([
        { id: 'trig', type: 'manual.trigger' },
        { id: 'setv', type: 'toolbox.set_variable', inputs: { variable: 'n', value: { expr: '$trigger.n * 2' } } },
        { id: 'say', type: 'toolbox.log', inputs: { message: { expr: '$string($vars.n)' } } },
      ]),
    );
    queue = await openPgBossQueue(db, { supervise: false });
  });
  afterAll(async () => {
    await queue.close();
    await evaluator.close();
    await db.close();
  });

  const request = (n: number, extra: Partial<RunRequest> = {}): RunRequest => ({
    ownerId,
    flowId,
    flowVersion: 1,
    trigger: { n },
    triggerKind: 'manual.trigger',
    ...extra,
  });

  /** The jobs on the run queue, per run id (from the job's data), in the live job table. */
  async function jobsOf(runIds: readonly string[]) {
    const rows = await sql<{ id: string; run_id: string; state: string; output: unknown }>`
      SELECT id, data->>'runId' AS run_id, state, output FROM pgboss.job
      WHERE name = ${RUN_JOBS} AND data->>'runId' = ANY(${[...runIds]})`.execute(db.db);
    return rows.rows;
  }

  it('three first starts at once on a new database all open, and leave every pooled connection usable', async () => {
    const fresh = await openTestDb('postgres');
    try {
      const opened = await Promise.allSettled([openPgBossQueue(fresh), openPgBossQueue(fresh), openPgBossQueue(fresh)]);
      for (const o of opened) if (o.status === 'fulfilled') await o.value.close();
      expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
      // More queries at once than the pool has connections: each connection is used, none is stuck
      // inside the aborted transaction of the losing schema install.
      const probes = await Promise.allSettled(Array.from({ length: 30 }, () => sql`SELECT pg_sleep(0.02)`.execute(fresh.db)));
      expect(probes.filter((p) => p.status === 'rejected').map((p) => String((p as PromiseRejectedResult).reason))).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('writes the job in the enqueue transaction: a rollback leaves neither the run row nor the job', async () => {
    const id = newId();
    await expect(
      withTransaction(db, async (tx) => {
        await enqueueRuns(tx, [request(1, { id })], queue);
        expect(await sql`SELECT 1 FROM pgboss.job WHERE data->>'runId' = ${id}`.execute(tx.db)).toHaveProperty('rows.length', 1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.db.selectFrom('runs').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await jobsOf([id])).toEqual([]);

    const [e] = await enqueueRuns(db, [request(2)], queue);
    expect(await jobsOf([e!.runId])).toEqual([expect.objectContaining({ id: jobIdOf(e!.runId), run_id: e!.runId, state: 'created' })]);
    // Announcing the run again (a retried transaction, a second caller) makes no second job.
    await withTransaction(db, (tx) => queue.announce(tx, [e!.runId]));
    expect(await jobsOf([e!.runId])).toHaveLength(1);
  });

  it('R2: after a burst of 1,000 concurrent enqueues, every run row has exactly one job and every job its run row', async () => {
    const burstFlow = await storeFlow(db, ownerId, flowDoc([{ id: 'trig', type: 'manual.trigger' }]));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 1_000 }, (_, i) => {
        const r = request(i, { flowId: burstFlow });
        // Every 10th transaction rolls back after the enqueue; 100 pairs race for one dedupe key each.
        if (i % 10 === 0)
          return withTransaction(db, async (tx) => {
            await enqueueRuns(tx, [r], queue);
            throw new Error('roll back');
          });
        if (i % 10 === 1 || i % 10 === 2) return enqueueRuns(db, [{ ...r, dedupeKey: `k${Math.floor(i / 10)}` }], queue);
        return enqueueRuns(db, [r], queue);
      }),
    );
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
    expect(failures.filter((e) => e.message !== 'roll back' && !(e instanceof DuplicateRunRace))).toEqual([]);
    expect(failures.filter((e) => e.message === 'roll back')).toHaveLength(100);

    const runs = await db.db.selectFrom('runs').select(['id', 'dedupe_key']).where('flow_id', '=', burstFlow).execute();
    // 700 plain runs and one per dedupe key (whichever of each pair won).
    expect(runs).toHaveLength(800);
    expect(new Set(runs.flatMap((r) => (r.dedupe_key ? [r.dedupe_key] : []))).size).toBe(100);

    const orphanRuns = await sql<{ n: string }>`
      SELECT count(*) AS n FROM runs r WHERE r.flow_id = ${burstFlow}
        AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = ${RUN_JOBS} AND j.data->>'runId' = r.id)`.execute(db.db);
    const orphanJobs = await sql<{ n: string }>`
      SELECT count(*) AS n FROM pgboss.job j WHERE j.name = ${RUN_JOBS}
        AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = j.data->>'runId')`.execute(db.db);
    const doubled = await sql<{ n: string }>`
      SELECT count(*) AS n FROM (SELECT data->>'runId' FROM pgboss.job WHERE name = ${RUN_JOBS} GROUP BY 1 HAVING count(*) > 1) d`.execute(
      db.db,
    );
    expect([orphanRuns.rows[0]!.n, orphanJobs.rows[0]!.n, doubled.rows[0]!.n].map(Number)).toEqual([0, 0, 0]);
    expect(await jobsOf(runs.map((r) => r.id))).toHaveLength(800);
  });

  it('the consumer alone executes announced runs, and completes the jobs of runs that are not claimable', async () => {
    // Clear the earlier tests' jobs so the consumer sees only these.
    await sql`DELETE FROM pgboss.job WHERE name = ${RUN_JOBS}`.execute(db.db);
    const done = await enqueueRuns(db, [request(-1)], queue);
    const held = await enqueueRuns(db, [request(-2)], queue);
    // "done" already finished through another path; "held" is claimed by a live worker elsewhere.
    await db.db
      .updateTable('runs')
      .set({ status: 'succeeded', finished_at: new Date().toISOString() })
      .where('id', '=', done[0]!.runId)
      .execute();
    expect(await claimRun(db, 'elsewhere', 60_000, Date.now(), held[0]!.runId)).toBeDefined();

    const consumer = startPgBossConsumer(db, {
      queue,
      workerId: 'consumer-test',
      evaluator: () => evaluator,
      concurrency: 4,
      leaseMs: 5_000,
    });
    try {
      const fresh = await enqueueRuns(
        db,
        Array.from({ length: 40 }, (_, i) => request(i)),
        queue,
      );
      const ids = fresh.map((e) => e.runId);
      const rows = await waitForRuns(db, ids, 20_000);
      expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'succeeded'));
      const said = await db.db
        .selectFrom('run_steps')
        .select(['run_id', 'output_json'])
        .where('run_id', 'in', ids)
        .where('step_id', '=', 'say')
        .execute();
      expect(said).toHaveLength(40);
      expect(said.find((s) => s.run_id === ids[7])!.output_json).toContain('"14"');

      const watched = [...ids, done[0]!.runId, held[0]!.runId];
      const deadline = Date.now() + 10_000;
      let jobs = await jobsOf(watched);
      while (jobs.some((j) => j.state !== 'completed') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        jobs = await jobsOf(watched);
      }
      const endOf = (runId: string) => (jobs.find((j) => j.run_id === runId)?.output as { end?: string } | null)?.end;
      expect(jobs.map((j) => j.state)).toEqual(watched.map(() => 'completed'));
      expect(ids.map(endOf)).toEqual(ids.map(() => 'finished'));
      expect([endOf(done[0]!.runId), endOf(held[0]!.runId)]).toEqual(['skipped', 'skipped']);
      // The held run was left to its holder.
      const h = await db.db.selectFrom('runs').select(['status', 'lease_owner']).where('id', '=', held[0]!.runId).executeTakeFirstOrThrow();
      expect(h).toEqual({ status: 'running', lease_owner: 'elsewhere' });
    } finally {
      await consumer.stop(2_000);
    }
  });
});
