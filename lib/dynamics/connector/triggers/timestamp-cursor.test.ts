import { describe, expect, it } from 'vitest';
import type { DataverseRecord } from '../../client/types';
import { isoSeconds, lowerBound, TimestampPoll, type TimestampCursor, type TimestampPollOptions } from './timestamp-cursor';

// The cursor logic is pure: these tests feed it rows the way Dataverse would answer its query
// (`modifiedon ge <lowerBound>` ordered by modifiedon, then id, in pages).
const opts: TimestampPollOptions = { stampField: 'modifiedon', primaryId: 'leadid', overlapSeconds: 60 };
const T0 = Date.parse('2026-05-01T10:00:00Z') / 1000;
const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

interface Row extends DataverseRecord {
  leadid: string;
  modifiedon: string;
  versionnumber: number;
}

class Org {
  rows = new Map<string, Row>();
  version = 1000;
  write(n: number, at: number): void {
    this.rows.set(guid(n), { leadid: guid(n), modifiedon: isoSeconds(at), versionnumber: ++this.version });
  }
  /** What the poll's query returns, page by page. */
  *pages(cursor: TimestampCursor, pageSize: number): Generator<Row[]> {
    const bound = Date.parse(lowerBound(cursor, opts.overlapSeconds));
    const rows = [...this.rows.values()]
      .filter((r) => Date.parse(r.modifiedon) >= bound)
      .sort((a, b) => a.modifiedon.localeCompare(b.modifiedon) || a.leadid.localeCompare(b.leadid));
    for (let i = 0; i < rows.length; i += pageSize) yield rows.slice(i, i + pageSize).map((r) => ({ ...r }));
  }
}

/** One poll: returns the emitted keys and the next cursor, or throws `crash` after `crashAfter` rows. */
function runPoll(org: Org, cursor: TimestampCursor, pageSize: number, maxEvents: number, crashAfter = Infinity) {
  const poll = new TimestampPoll(cursor, opts);
  const emitted: string[] = [];
  let processed = 0;
  outer: for (const page of org.pages(cursor, pageSize)) {
    for (const row of page) {
      if (processed >= maxEvents) break outer;
      if (processed === crashAfter) throw new Error('crash');
      const v = poll.consume(row);
      if (v.emit) {
        processed++;
        emitted.push(v.key);
      }
    }
  }
  return { emitted, next: poll.next() };
}

const start: TimestampCursor = { kind: 'timestamp', watermark: isoSeconds(T0 - 1), seen: {} };

describe('TimestampPoll', () => {
  it('emits 100 rows sharing one modifiedon across page boundaries exactly once, over several bounded polls', () => {
    const org = new Org();
    for (let n = 1; n <= 100; n++) org.write(n, T0);
    for (let n = 101; n <= 130; n++) org.write(n, T0 + 1 + (n % 3));
    const all: string[] = [];
    let cursor = start;
    for (let i = 0; i < 20; i++) {
      const { emitted, next } = runPoll(org, cursor, 7, 13);
      all.push(...emitted);
      cursor = next;
    }
    expect(all).toHaveLength(130);
    expect(new Set(all).size).toBe(130);
  });

  it('restarting after a crash mid-page loses nothing and repeats nothing that was committed', () => {
    const org = new Org();
    for (let n = 1; n <= 100; n++) org.write(n, T0);
    let cursor = start;
    const committed: string[] = [];
    // Crash in the middle of the third page of the first poll: nothing from it is committed.
    expect(() => runPoll(org, cursor, 10, 1000, 25)).toThrow('crash');
    const first = runPoll(org, cursor, 10, 40);
    committed.push(...first.emitted);
    cursor = first.next;
    // More rows change in the same second while we are "down", then a second crash mid-page.
    for (let n = 101; n <= 120; n++) org.write(n, T0);
    expect(() => runPoll(org, cursor, 10, 1000, 5)).toThrow('crash');
    for (let i = 0; i < 5; i++) {
      const r = runPoll(org, cursor, 10, 40);
      committed.push(...r.emitted);
      cursor = r.next;
    }
    expect(committed).toHaveLength(120);
    expect(new Set(committed).size).toBe(120);
  });

  it('emits a second update of a row in the same second (a new version) and a late commit inside the overlap', () => {
    const org = new Org();
    org.write(1, T0);
    let { emitted, next } = runPoll(org, start, 5, 100);
    expect(emitted).toHaveLength(1);
    org.write(1, T0); // same second, new versionnumber
    org.write(2, T0 - 30); // committed late with an older stamp, inside the 60 s overlap
    ({ emitted, next } = runPoll(org, next, 5, 100));
    expect(emitted.map((k) => k.split('|')[0])).toEqual([guid(2), guid(1)]);
    ({ emitted } = runPoll(org, next, 5, 100));
    expect(emitted).toEqual([]);
  });

  it('prunes the seen-set to the overlap window and advances the watermark', () => {
    const org = new Org();
    org.write(1, T0);
    org.write(2, T0 + 300);
    const { next } = runPoll(org, start, 5, 100);
    expect(next.watermark).toBe(isoSeconds(T0 + 300));
    expect(Object.keys(next.seen)).toEqual([expect.stringMatching(new RegExp(`^${guid(2)}\\|`))]);
    expect(lowerBound(next, 60)).toBe(isoSeconds(T0 + 240));
  });

  it('marks a row whose earlier version was processed as known (an update, even within its creation second)', () => {
    const org = new Org();
    org.write(1, T0);
    const { next } = runPoll(org, start, 5, 100);
    org.write(1, T0);
    const poll = new TimestampPoll(next, opts);
    const [row] = [...org.pages(next, 5)].flat();
    expect(row && poll.consume(row)).toMatchObject({ emit: true, known: true });
    expect(new TimestampPoll(start, opts).consume(row ?? {})).toMatchObject({ emit: true, known: false });
  });

  it('New (createdon): a row updated inside the overlap window is not created again', () => {
    const created = { ...opts, stampField: 'createdon' as const };
    const row = (version: number) => ({
      leadid: guid(1),
      createdon: isoSeconds(T0),
      modifiedon: isoSeconds(T0 + 5),
      versionnumber: version,
    });
    const first = new TimestampPoll(start, created);
    expect(first.consume(row(1))).toMatchObject({ emit: true });
    expect(new TimestampPoll(first.next(), created).consume(row(2))).toEqual({ emit: false, reason: 'seen' });
  });

  it('skips rows without an id or a stamp', () => {
    const poll = new TimestampPoll(start, opts);
    expect(poll.consume({ leadid: guid(1) })).toEqual({ emit: false, reason: 'no_stamp' });
  });
});
