// Polling triggers over real HTTP against the sandbox with the real client.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetadataCache } from '../../metadata/metadata-cache';
import { executeAction } from '../execute-action';
import { sandboxAccount, type SandboxAccount } from '../../../../test/support/sandbox-client';
import { poll } from './poll';
import type { PollConfig, PollCursor, RecordEvent } from './poll-types';

let env: SandboxAccount;
let cache: MetadataCache;
const leads = { logicalName: 'lead', entitySetName: 'leads', primaryIdAttribute: 'leadid' };
const run = (actionId: string, input: unknown) =>
  executeAction({ client: env.client, actionId, input, cache }) as Promise<Record<string, unknown>>;

beforeAll(async () => {
  env = await sandboxAccount();
  cache = new MetadataCache();
});
afterAll(async () => {
  await env?.close();
});

/** Polls until the backlog is drained, like the scheduler would, committing each cursor. */
async function drain(config: PollConfig, cursor: PollCursor): Promise<{ events: RecordEvent[]; cursor: PollCursor }> {
  const all: RecordEvent[] = [];
  for (let i = 0; i < 100; i++) {
    const r = await poll(env.client, config, cursor);
    cursor = r.nextCursor;
    all.push(...r.events);
    if (!r.hasMore) return { events: all, cursor };
  }
  throw new Error('did not drain');
}

describe('record events against the sandbox', () => {
  const tag = `poll-${randomUUID().slice(0, 8)}`;
  const config = (event: PollConfig['event']): PollConfig => ({
    table: leads,
    event,
    pageSize: 7,
    maxEvents: 13,
    filter: { match: 'all', conditions: [{ field: 'subject', operator: 'startswith', type: 'string', value: tag }] },
  });
  const created: string[] = [];
  let changedCursor: PollCursor;
  let updatedCursor: PollCursor;
  let deletedCursor: PollCursor;

  it('the first poll emits nothing and sets the starting point', async () => {
    const first = await poll(env.client, config('new_or_updated'), null);
    expect(first.events).toEqual([]);
    changedCursor = first.nextCursor;
    updatedCursor = (await poll(env.client, config('updated'), null)).nextCursor;
    const deleted = await poll(env.client, { table: leads, event: 'deleted' }, null);
    expect(deleted.nextCursor.kind).toBe('delta');
    deletedCursor = deleted.nextCursor;
  });

  it('100 new rows (sharing modifiedon seconds) come out exactly once over bounded polls and pages', async () => {
    for (let i = 0; i < 100; i++)
      created.push(String((await run('dynamics.lead.create', { fields: { subject: `${tag}-${i}`, lastname: `P${i}` } })).id));
    // A poll whose result is lost (crash before the runtime commits) changes nothing.
    await poll(env.client, config('new_or_updated'), changedCursor);
    const { events, cursor } = await drain(config('new_or_updated'), changedCursor);
    changedCursor = cursor;
    expect(events.map((e) => e.id).sort()).toEqual([...created].sort());
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['new']));
  });

  it('updates come out as Updated events, once', async () => {
    // The Updated trigger polled meanwhile (at its interval) and saw only new rows: no events.
    const meanwhile = await drain(config('updated'), updatedCursor);
    expect(meanwhile.events).toEqual([]);
    updatedCursor = meanwhile.cursor;
    for (const id of created.slice(0, 5)) await run('dynamics.lead.update', { match: { by: 'id', id }, fields: { jobtitle: 'changed' } });
    const updated = await drain(config('updated'), updatedCursor);
    expect(updated.events.map((e) => e.id).sort()).toEqual(created.slice(0, 5).sort());
    expect(updated.events.every((e) => e.type === 'updated')).toBe(true);
    const changed = await drain(config('new_or_updated'), changedCursor);
    expect(changed.events.map((e) => e.id).sort()).toEqual(created.slice(0, 5).sort());
  });

  it('deletions come out through change tracking', async () => {
    for (const id of created.slice(10, 13)) await run('dynamics.lead.delete', { match: { by: 'id', id } });
    const { events } = await poll(env.client, { table: leads, event: 'deleted' }, deletedCursor);
    expect(events.map((e) => e.id).sort()).toEqual(created.slice(10, 13).sort());
    expect(events.every((e) => e.type === 'deleted')).toBe(true);
  });
});
