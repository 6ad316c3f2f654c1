import { z } from 'zod';
import type { PollCursor } from '@/lib/dynamics/connector/triggers/poll-types';
import { isoSeconds } from '@/lib/dynamics/connector/triggers/timestamp-cursor';

/**
 * What a Dynamics event trigger keeps in trigger_state between polls: the connector's cursor, when
 * to poll next, and which start of which trigger the cursor belongs to. A flow stopped and started
 * again, or republished with another table or event, starts over from its new `started_at`, so
 * changes from before the start never count.
 */
export interface DynamicsPollState {
  v: 1;
  /** The trigger's type (`dynamics.<table>.<event>`) the cursor was made for. */
  type: string;
  /** The flow's `started_at` the cursor was made for. */
  startedAt: string | null;
  cursor: PollCursor | null;
  nextPollAt: string;
  /** When the last committed poll began (ISO): a deletion seen after it happened after it. */
  polledAt?: string;
  /** The last failure (name and message only: never a request or a secret), cleared by a good poll. */
  lastError?: { name: string; message: string; at: string };
}

const timestampSchema = z.object({ kind: z.literal('timestamp'), watermark: z.string(), seen: z.record(z.string(), z.string()) });

/**
 * Every cursor kind ever stored stays readable: a `timestamp` cursor stored before change tracking
 * was used is handed over to it by the connector (poll-tracked.ts) on a tracked table.
 */
const cursorSchema = z.union([
  timestampSchema,
  z.object({ kind: z.literal('delta'), deltaToken: z.string() }),
  z.object({
    kind: z.literal('tracked'),
    deltaToken: z.string(),
    horizon: z.string(),
    atHorizon: z.array(z.string()),
    stamps: timestampSchema,
    round: z.object({ afterVersion: z.number(), horizon: z.string(), atHorizon: z.array(z.string()) }).optional(),
    catchUp: z.literal(true).optional(),
  }),
]);

const stateSchema = z.object({
  v: z.literal(1),
  type: z.string(),
  startedAt: z.string().nullable(),
  cursor: cursorSchema.nullable(),
  nextPollAt: z.string(),
  polledAt: z.string().optional(),
  lastError: z.object({ name: z.string(), message: z.string(), at: z.string() }).optional(),
});

/**
 * The stored state when it belongs to this trigger's current start; undefined otherwise (none yet,
 * another start, another type, or a shape this code does not know), which means "start over".
 */
export function currentPollState(stored: unknown, type: string, startedAt: string | null): DynamicsPollState | undefined {
  const parsed = stateSchema.safeParse(stored);
  if (!parsed.success) return undefined;
  const state = parsed.data as DynamicsPollState;
  return state.type === type && state.startedAt === startedAt ? state : undefined;
}

/**
 * Where a fresh timestamp cursor starts: the second of the flow's start (Dataverse stamps have second
 * precision, so a change in that same second counts). Without a start time (never expected for a
 * started flow), the poll's own time.
 */
export function startSecond(startedAt: string | null, now: Date): string {
  const ms = startedAt === null ? NaN : Date.parse(startedAt);
  return isoSeconds(Math.floor((Number.isFinite(ms) ? ms : now.getTime()) / 1000));
}

export const startingCursor = (startedAt: string | null, now: Date): PollCursor => ({
  kind: 'timestamp',
  watermark: startSecond(startedAt, now),
  seen: {},
});

export const isDue = (state: DynamicsPollState | undefined, now: Date): boolean =>
  state === undefined || Date.parse(state.nextPollAt) <= now.getTime();
