import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { startTriggerLoop, TRIGGER_LEASE } from './trigger-loop';

describe.each(DATABASE_KINDS)('trigger loop on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  it('only the lease holder runs the tasks; ticks never overlap; a failing task is survived', async () => {
    const ran: Record<string, number> = { a: 0, b: 0 };
    let active = 0;
    let maxActive = 0;
    const logs: string[] = [];
    const loop = (holder: string) =>
      startTriggerLoop(db, {
        holder,
        tickMs: 10,
        log: (m) => logs.push(m),
        tasks: [
          async () => {
            active++;
            maxActive = Math.max(maxActive, active);
            ran[holder]!++;
            await new Promise((r) => setTimeout(r, 15));
            active--;
          },
          () => Promise.reject(new Error('boom')),
        ],
      });
    const a = loop('a');
    await new Promise((r) => setTimeout(r, 60));
    const b = loop('b');
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all([a.stop(), b.stop()]);
    expect(ran.a).toBeGreaterThan(2);
    expect(ran.b).toBe(0);
    expect(maxActive).toBe(1);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((m) => m === 'trigger task failed: Error: boom')).toBe(true);
  });

  it('a tick longer than the lease keeps it (renewed meanwhile): another process never runs the tasks at the same time', async () => {
    await db.db.deleteFrom('runtime_leases').where('name', '=', TRIGGER_LEASE).execute();
    const spans: { holder: string; from: number; to: number }[] = [];
    const logs: string[] = [];
    const loop = (holder: string, taskMs: number) =>
      startTriggerLoop(db, {
        holder,
        tickMs: 10,
        leaseTtlMs: 150,
        log: (m) => logs.push(m),
        tasks: [
          async (_db, { signal }) => {
            const from = Date.now();
            // A slow poll: far longer than the lease's 150 ms.
            await new Promise<void>((r) => {
              const t = setTimeout(r, taskMs);
              signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
            });
            spans.push({ holder, from, to: Date.now() });
          },
        ],
      });
    const a = loop('slow-a', 700);
    await new Promise((r) => setTimeout(r, 50));
    const b = loop('waiting-b', 10);
    await new Promise((r) => setTimeout(r, 900));
    await a.stop();
    // Once a stopped (its lease runs out), b takes over.
    for (let i = 0; i < 100 && !spans.some((s) => s.holder === 'waiting-b'); i++) await new Promise((r) => setTimeout(r, 20));
    await b.stop();
    const first = spans.find((s) => s.holder === 'slow-a');
    expect(first && first.to - first.from).toBeGreaterThanOrEqual(650); // ran its whole course, not aborted
    const bSpans = spans.filter((s) => s.holder === 'waiting-b');
    expect(bSpans.length).toBeGreaterThan(0);
    for (const s of spans.filter((x) => x.holder === 'slow-a')) for (const o of bSpans) expect(o.from >= s.to || o.to <= s.from).toBe(true); // never at once
    expect(logs).toEqual([]);
  });

  it("a lease lost during a tick (taken by another holder) aborts the tick's tasks", async () => {
    await db.db.deleteFrom('runtime_leases').where('name', '=', TRIGGER_LEASE).execute();
    const logs: string[] = [];
    let abortedAfter: number | undefined;
    let started = 0;
    const loop = startTriggerLoop(db, {
      holder: 'loses-it',
      tickMs: 10,
      leaseTtlMs: 300,
      renewEveryMs: 30,
      log: (m) => logs.push(m),
      tasks: [
        async (_db, { signal }) => {
          if (started) return;
          started = Date.now();
          await new Promise<void>((r) => {
            const t = setTimeout(r, 2_000);
            signal.addEventListener('abort', () => ((abortedAfter = Date.now() - started), clearTimeout(t), r()), { once: true });
          });
        },
      ],
    });
    for (let i = 0; i < 100 && !started; i++) await new Promise((r) => setTimeout(r, 10));
    // Another process took the lease over (as after this one stalled past its expiry).
    await db.db
      .updateTable('runtime_leases')
      .set({ holder: 'intruder', expires_at: Date.now() + 60_000 })
      .where('name', '=', TRIGGER_LEASE)
      .execute();
    for (let i = 0; i < 100 && abortedAfter === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    await loop.stop();
    expect(abortedAfter).toBeDefined();
    expect(abortedAfter!).toBeLessThan(1_000);
    expect(logs).toEqual(['trigger lease lost during a tick; stopping it']);
  });
});
