// Change-tracking polls (poll-tracked.ts) over real HTTP against the sandbox with the real client:
// what the sandbox tells about tables, rounds cut into batches and resumed, and expired tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetadataCache } from '../../metadata/metadata-cache';
import { sandboxAccount, type SandboxAccount } from '../../../../test/support/sandbox-client';
import { leadWriter } from '../../../../test/support/trigger-flows';
import { poll, pollChanges } from './poll';
import type { PollConfig, PollCursor, PollResult } from './poll-types';
import type { TrackedCursor } from './tracked-cursor';

let env: SandboxAccount;
let leads: ReturnType<typeof leadWriter>;
const S = 1000;
let clock = Date.UTC(2036, 0, 1, 9, 0, 0);
const tick = () => (clock += S);

beforeAll(async () => {
  env = await sandboxAccount();
  leads = leadWriter(env.sandbox.sandbox.core);
});
afterAll(async () => {
  await env?.close();
});

const tag = 'tracked-';
const config = (extra: Partial<PollConfig> = {}): PollConfig => ({
  table: { logicalName: 'lead', entitySetName: 'leads', primaryIdAttribute: 'leadid' },
  event: 'new_or_updated',
  changeTracking: true,
  filter: { match: 'all', conditions: [{ field: 'subject', operator: 'startswith', type: 'string', value: tag }] },
  matches: (row) => typeof row.subject === 'string' && row.subject.startsWith(tag),
  ...extra,
});
async function all(c: PollConfig, cursor: PollCursor | null): Promise<PollResult[]> {
  const out: PollResult[] = [];
  for await (const batch of pollChanges(env.client, c, cursor)) out.push(batch);
  return out;
}

describe('change tracking against the sandbox', () => {
  it('the sales tables have change tracking in the metadata (currencies do not)', async () => {
    const cache = new MetadataCache();
    for (const table of ['lead', 'contact', 'account']) expect((await cache.table(env.client, table)).changeTrackingEnabled).toBe(true);
    expect((await cache.table(env.client, 'transactioncurrency')).changeTrackingEnabled).toBe(false);
  });

  let cursor: PollCursor;
  const ids: string[] = [];

  it('the first poll without a cursor only takes the baseline', async () => {
    leads.create(`${tag}existing`, tick());
    const [first, ...rest] = await all(config(), null);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ events: [], hasMore: false, nextCursor: { kind: 'tracked' } });
    cursor = first!.nextCursor;
  });

  it('a round of 25 changes comes in batches of 10 by version; a poll cut mid-round resumes without repeats', async () => {
    for (let i = 0; i < 25; i++) ids.push(leads.create(`${tag}${i}`, tick()).toLowerCase());
    leads.create('not-matching', tick());
    const batches = await all(config({ maxEvents: 10, pageSize: 7 }), cursor);
    expect(batches.map((b) => b.hasMore)).toEqual([true, true, false]);
    expect(batches.flatMap((b) => b.events.map((e) => e.id.toLowerCase()))).toEqual(ids); // version order
    expect(batches.flatMap((b) => b.events.map((e) => e.type))).toEqual(ids.map(() => 'new'));
    // As if the poller was killed after committing the first batch: the same round again from its cursor.
    const mid = batches[0]!.nextCursor as TrackedCursor;
    expect(mid.round?.afterVersion).toEqual(expect.any(Number));
    expect(mid.deltaToken).toBe((cursor as TrackedCursor).deltaToken);
    const resumed = await all(config({ maxEvents: 10, pageSize: 7 }), mid);
    expect(resumed.flatMap((b) => b.events.map((e) => e.id.toLowerCase()))).toEqual(ids.slice(10));
    cursor = batches.at(-1)!.nextCursor;
    expect((cursor as TrackedCursor).deltaToken).not.toBe(mid.deltaToken);
  });

  it('an expired token: a notice, a new baseline, the changes meanwhile by stamps, then the delta again', async () => {
    const core = env.sandbox.sandbox.core;
    const saved = core.config.changeTrackingRetentionDays;
    leads.update(ids[0]!, tick(), { jobtitle: 'changed' });
    const fresh = leads.create(`${tag}fresh`, tick()).toLowerCase();
    core.config.changeTrackingRetentionDays = 0; // every token is too old now
    const batches: PollResult[] = [];
    try {
      for await (const batch of pollChanges(env.client, config(), cursor)) {
        batches.push(batch);
        core.config.changeTrackingRetentionDays = saved; // the new baseline's token is fine again
      }
    } finally {
      core.config.changeTrackingRetentionDays = saved;
    }
    expect(batches[0]!.notices).toEqual([
      expect.stringMatching(/token of lead expired; tracking again, and the changes since .* by modifiedon/),
    ]);
    const events = batches.flatMap((b) => b.events.map((e) => `${e.id.toLowerCase()}:${e.type}`));
    expect(events).toEqual([`${ids[0]}:updated`, `${fresh}:new`]);
    expect(batches.at(-1)).toMatchObject({ hasMore: false, nextCursor: { kind: 'tracked' } });
    expect(batches.at(-1)!.nextCursor).not.toHaveProperty('catchUp');
    cursor = batches.at(-1)!.nextCursor;
  });

  it('a token that expires again right after its own baseline fails the poll instead of looping', async () => {
    const core = env.sandbox.sandbox.core;
    const saved = core.config.changeTrackingRetentionDays;
    core.config.changeTrackingRetentionDays = 0;
    try {
      await expect(all(config(), cursor)).rejects.toThrow(/full sync/i);
    } finally {
      core.config.changeTrackingRetentionDays = saved;
    }
  });

  it('conditions the caller cannot judge on rows keep the stamp cursor (no $filter on a delta)', async () => {
    const result = await poll(env.client, config({ matches: undefined }), null);
    expect(result.nextCursor.kind).toBe('timestamp');
  });
});
