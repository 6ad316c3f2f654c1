import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { startTriggerLoop } from './trigger-loop';

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
});
