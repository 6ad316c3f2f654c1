import type { AccountLabel, FlowRunFacts, LastRun } from '@/lib/db/repositories/flow-dashboard';
import type { Flow } from '@/lib/db/repositories/flows';
import type { DraftFacts } from './draft-facts';
import { toFlowSummary, type FlowSummary } from './flow-view';

/** Where a flow stands, as the dashboard tells it: a draft (with or without problems), running, or stopped. */
export type FlowState = 'draft_problems' | 'draft_ready' | 'running' | 'stopped';

/** The dashboard's window: 24 hourly buckets, the last one the hour now running. */
export const WINDOW_HOURS = 24;

export interface RunsWindow {
  /** The first instant counted (the top of the hour 23 hours before the current one), ISO UTC. */
  since: string;
  runs: number;
  succeeded: number;
  failed: number;
  /** Per hour, oldest first, WINDOW_HOURS long. */
  succeededByHour: number[];
  failedByHour: number[];
}

export interface FlowAccountRef {
  id: string;
  /** Null when the account is gone (removed since the step chose it). */
  name: string | null;
  needsReconnect: boolean;
}

/** One row of the flows dashboard. */
export interface FlowListItem extends FlowSummary {
  state: FlowState;
  /**
   * Problems of the current draft found without asking Dynamics: the document (schema, structure,
   * expressions) and its accounts (gone, or in need of reconnecting). Column-level fit against an
   * account's metadata is checked in the editor and when the flow is started.
   */
  problemCount: number;
  trigger: { type: string } | null;
  accounts: FlowAccountRef[];
  lastRun: LastRun | null;
  last24h: RunsWindow;
}

const HOUR_MS = 3_600_000;

/** The window's first instant for `now` (epoch ms). */
export function windowStart(now: number): string {
  return new Date(Math.floor(now / HOUR_MS) * HOUR_MS - (WINDOW_HOURS - 1) * HOUR_MS).toISOString();
}

/** The hour keys (`YYYY-MM-DDTHH`, as flowRunFacts groups by) of the window starting at `since`. */
export function windowHours(since: string): string[] {
  const start = Date.parse(since);
  return Array.from({ length: WINDOW_HOURS }, (_, i) => new Date(start + i * HOUR_MS).toISOString().slice(0, 13));
}

export function toFlowListItem(
  flow: Flow,
  draft: DraftFacts,
  accounts: ReadonlyMap<string, AccountLabel>,
  runs: FlowRunFacts,
  since: string,
): FlowListItem {
  const refs = draft.accountIds.map((id): FlowAccountRef => {
    const account = accounts.get(id);
    return { id, name: account?.name ?? null, needsReconnect: account?.status === 'needs_reconnect' };
  });
  const unusable = refs.filter((a) => a.name === null || a.needsReconnect);
  const problemCount = draft.problemCount + unusable.reduce((n, a) => n + (draft.stepsPerAccount[a.id] ?? 0), 0);
  const state: FlowState =
    flow.status === 'active' ? 'running' : flow.status === 'stopped' ? 'stopped' : problemCount > 0 ? 'draft_problems' : 'draft_ready';

  const byHour = new Map(runs.hours.map((h) => [h.hour, h]));
  const hours = windowHours(since).map((key) => byHour.get(key));
  const sum = (pick: (h: NonNullable<(typeof hours)[number]>) => number) => hours.reduce((n, h) => n + (h ? pick(h) : 0), 0);
  return {
    ...toFlowSummary(flow),
    state,
    problemCount,
    trigger: draft.triggerType ? { type: draft.triggerType } : null,
    accounts: refs,
    lastRun: runs.lastRun,
    last24h: {
      since,
      runs: sum((h) => h.total),
      succeeded: sum((h) => h.succeeded),
      failed: sum((h) => h.failed),
      succeededByHour: hours.map((h) => h?.succeeded ?? 0),
      failedByHour: hours.map((h) => h?.failed ?? 0),
    },
  };
}
