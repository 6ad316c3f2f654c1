import type { Db } from '@/lib/db/database';
import { getTriggerState, putTriggerState } from '@/lib/db/repositories/trigger-state';
import { withTransaction } from '@/lib/db/transaction';
import { enqueueRuns, wakeWorkers } from '@/lib/flows/runtime/enqueue';
import { activeTriggers } from './active-triggers';
import { collapseMissed, nextFireAt, type ScheduleConfig } from './next-fire';

const SCHEDULE_TYPE = 'scheduler.schedule';

interface ScheduleCursor {
  nextFireAt: string | null;
}

/**
 * Fires the Scheduler triggers of started flows that are due at `now`: ONE run per due fire
 * (dedupeKey `schedule:<fireAt ISO>`, so a replayed tick starts nothing twice) and the cursor's
 * `nextFireAt` advanced in the same transaction. After downtime the missed fires collapse into one
 * run for the latest of them. A flow seen for the first time (just started) gets its first fire
 * after `now`, and fires nothing yet. Trigger output: `{ firedAt, scheduledFor }`.
 */
export async function fireDueSchedules(db: Db, { now }: { now: Date }): Promise<{ runsCreated: number }> {
  let runsCreated = 0;
  for (const t of await activeTriggers(db, (type) => type === SCHEDULE_TYPE)) {
    const config = t.inputs as unknown as ScheduleConfig;
    const state = await getTriggerState(db, t.ownerId, t.flowId, t.nodeId);
    const cursor = state?.cursor as ScheduleCursor | undefined;
    if (!cursor) {
      await putTriggerState(db, t.ownerId, t.flowId, t.nodeId, { nextFireAt: nextFireAt(config, now)?.toISOString() ?? null });
      continue;
    }
    if (cursor.nextFireAt === null || Date.parse(cursor.nextFireAt) > now.getTime()) continue;
    const { scheduledFor, next } = collapseMissed(config, new Date(cursor.nextFireAt), now);
    const created = await withTransaction(db, async (tx) => {
      const [run] = await enqueueRuns(tx, [
        {
          ownerId: t.ownerId,
          flowId: t.flowId,
          flowVersion: t.flowVersion,
          trigger: { firedAt: now.toISOString(), scheduledFor: scheduledFor.toISOString() },
          triggerKind: SCHEDULE_TYPE,
          dedupeKey: `schedule:${scheduledFor.toISOString()}`,
        },
      ]);
      await putTriggerState(tx, t.ownerId, t.flowId, t.nodeId, { nextFireAt: next?.toISOString() ?? null });
      return run?.created === true;
    });
    if (created) runsCreated++;
  }
  if (runsCreated > 0) wakeWorkers();
  return { runsCreated };
}
