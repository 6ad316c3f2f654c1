import type { ConditionGroup, DataverseRecord } from '../../client/types';
import type { EventKind } from '../define';
import type { DeltaCursor } from './change-tracking-cursor';
import type { TimestampCursor } from './timestamp-cursor';
import type { TrackedCursor } from './tracked-cursor';

export type PollCursor = TimestampCursor | DeltaCursor | TrackedCursor;

export interface PollConfig {
  table: { logicalName: string; entitySetName: string; primaryIdAttribute: string };
  event: EventKind;
  /** Columns to return with each event (primary key and stamps are always included). */
  columns?: string[];
  /** Extra conditions (already converted with `toFilter`): the stamp query's `$filter`. */
  filter?: ConditionGroup;
  /**
   * The table has change tracking (`ChangeTrackingEnabled`): New / Updated / New or updated poll
   * delta tokens (tracked-cursor.ts). A delta query refuses `$filter`, so with `filter` set the
   * caller must also give `matches`, which judges the delta's rows instead; without it the stamp
   * cursor is kept.
   */
  changeTracking?: boolean;
  /** `filter` evaluated on a returned row (for change-tracking rounds). */
  matches?: (row: DataverseRecord) => boolean;
  /** Default 120 s: covers Dataverse's second precision and late commits. */
  overlapSeconds?: number;
  /** Changed rows processed per poll (default 500): a backlog drains over several polls, never all in memory. */
  maxEvents?: number;
  pageSize?: number;
}

export interface RecordEvent {
  type: 'new' | 'updated' | 'deleted';
  id: string;
  /** The row (absent for deletions). */
  record?: DataverseRecord;
}

export interface PollResult {
  events: RecordEvent[];
  nextCursor: PollCursor;
  /** The poll stopped at `maxEvents` rows: poll again right away instead of waiting for the interval. */
  hasMore: boolean;
  /** Things the owner should know (an expired delta token and how it was recovered): no secrets. */
  notices?: string[];
}
