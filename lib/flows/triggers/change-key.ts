import { createHash } from 'node:crypto';
import type { EventKind } from '@/lib/dynamics/connector/define';
import type { PollCursor, RecordEvent } from '@/lib/dynamics/connector/triggers/poll-types';

/**
 * The change's identity, the run's dedupe key: a record is created once (`new:<id>`); an update is
 * its id and row version (`change:<id>:<versionnumber>`, the stamp where a table has no version);
 * a deletion is its id within the delta it was read from, which a replay after a crash reads again
 * from the same (uncommitted) token.
 */
export function changeKey(event: EventKind, e: RecordEvent, cursor: PollCursor | null): string {
  const id = e.id.toLowerCase();
  if (e.type === 'deleted') {
    const from = cursor?.kind === 'delta' ? cursor.deltaToken : '';
    return `deleted:${id}:${createHash('sha256').update(from).digest('hex').slice(0, 16)}`;
  }
  if (event === 'new') return `new:${id}`;
  const version = e.record?.versionnumber ?? e.record?.modifiedon;
  return `change:${id}:${typeof version === 'number' || typeof version === 'string' ? version : ''}`;
}
