/**
 * Pure cursor logic for New / Updated / New or updated on a table with change tracking. The cursor
 * is a delta token; a round reads every row changed after it (Dataverse answers rows at their
 * current version, "new/updated first by version"), and the round's last page gives the next token.
 *
 * Dataverse's delta does not say whether a row was created or updated, so a round classifies it by
 * its `createdon` against the round's **horizon**: the newest `modifiedon` of every row seen before
 * the round (the baseline and earlier rounds). A row created before the round's token was seen
 * then, with `createdon ≤ modifiedon ≤ horizon`; a row created after it has `createdon ≥` the
 * token's time `≥ horizon`. So `createdon > horizon` is new, `createdon < horizon` is an update, and
 * the horizon's own second (stamps have second precision) is told apart by the ids already seen with
 * `createdon = horizon` (`atHorizon`). Exact unless a commit lands after a token with an older stamp.
 *
 * A round may be cut (maxEvents, a crash, the tick's budget): `round.afterVersion` says which of its
 * rows are done, and the next poll reads the same token again and skips them. `stamps` is the stamp
 * cursor covering every row processed, kept for a fall-back without change tracking (an expired
 * token): it continues where the delta left off without repeating what the overlap window holds.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import type { DataverseRecord } from '../../client/types';
import type { TimestampCursor } from './timestamp-cursor';

export interface TrackedCursor {
  kind: 'tracked';
  /** The token the current round reads the changes after. */
  deltaToken: string;
  /** Newest `modifiedon` seen before this round (`YYYY-MM-DDTHH:MM:SSZ`). */
  horizon: string;
  /** Lower-case ids seen with `createdon` in the horizon's second. */
  atHorizon: string[];
  /** The stamp cursor covering every processed row: a catch-up in progress, or the fall-back. */
  stamps: TimestampCursor;
  /** Mid-round: rows of this round up to this version are processed, and the horizon so far. */
  round?: { afterVersion: number; horizon: string; atHorizon: string[] };
  /**
   * Handing over from stamps (first poll, a cursor stored before change tracking was used, an expired
   * token): `stamps` still catches up to the baseline token by `(stamp, id)`; the delta rounds start after.
   */
  catchUp?: true;
}

const seconds = (iso: unknown): number | undefined => {
  if (typeof iso !== 'string') return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};
const isoSeconds = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const EPOCH = '1970-01-01T00:00:00Z';

/** Folds rows into a horizon: the newest `modifiedon`, with the ids created in that second. */
export class Horizon {
  private at: number;
  private readonly ids: Set<string>;

  constructor(horizon: string, atHorizon: readonly string[]) {
    this.at = seconds(horizon) ?? 0;
    this.ids = new Set(atHorizon);
  }

  /** `createdon` after the horizon (or in its second, unseen): the row was created after it. */
  createdAfter(id: string, row: DataverseRecord): boolean {
    const created = seconds(row.createdon);
    if (created === undefined) return false;
    return created > this.at || (created === this.at && !this.ids.has(id));
  }

  add(id: string, row: DataverseRecord): void {
    const modified = seconds(row.modifiedon);
    if (modified === undefined || modified < this.at) return;
    if (modified > this.at) {
      this.at = modified;
      this.ids.clear();
    }
    // A row created in the horizon's second has modifiedon there too (the horizon is the newest).
    if (seconds(row.createdon) === this.at) this.ids.add(id);
  }

  get value(): { horizon: string; atHorizon: string[] } {
    return { horizon: isoSeconds(this.at), atHorizon: [...this.ids] };
  }
}

/** A row's version (`versionnumber`, a rowversion: increasing across the organization). */
export function versionOf(row: DataverseRecord): number | undefined {
  const v = row.versionnumber;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
