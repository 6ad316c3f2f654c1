/**
 * R7 (conventions-and-quality.md), polling trigger dedupe: 10,000 changed rows, 100 of them sharing
 * one modifiedon second, read in pages of 97 (so the tie spans page boundaries) and polls of 450;
 * the poller runs as a separate process that is killed with SIGKILL several times mid-poll (pages
 * are slowed a little so a kill lands while a page is in flight) and restarted; then a last poll
 * in this process drains the rest. Every change must have started exactly one run: 0 gaps, 0
 * duplicates, read from the runs table. Real sandbox over HTTP, real SQLite file / PostgreSQL.
 * Two ways of polling, each killed mid-way:
 *  - `stamps`: currencies (`transactioncurrency` has no change tracking), the `(modifiedon, id)`
 *    cursor; the changes predate the poller's first poll (a backlog from the flow's start);
 *  - `change tracking`: leads (tracked), delta tokens; the flow's first poll took the baseline
 *    before the changes, so all 10,000 come in one delta round, cut into batches of 450 and resumed
 *    after each kill from the round's token (no `$filter`: the conditions are judged on the rows).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTriggerState } from '@/lib/db/repositories/trigger-state';
import { connectAccount } from '@/lib/dynamics/accounts/account-service';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { startSandbox, type TestSandbox } from '@/test/support/sandbox';
import { leadWriter, rowWriter, runsOf, startedDynamicsFlow } from '@/test/support/trigger-flows';
import { pollDueFlows } from './dynamics-poller';
import type { DynamicsPollState } from './poll-state';

const root = resolve(__dirname, '../../..');
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
const PAGE_SIZE = 97;
const MAX_EVENTS = 450;
const CHANGES = 10_000;
const TIE_START = 4_950; // changes 4,950…5,049 share one second
const TIE_SIZE = 100;
/** SIGKILL the poller process once the runs table holds at least this many runs, then restart it. */
const KILL_AT = [1_200, 3_700, 6_100, 8_800];

let sandbox: TestSandbox;
const savedEnv = { ...process.env };

beforeAll(async () => {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: ENCRYPTION_KEY } }));
  sandbox = await startSandbox();
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
  process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
});
afterAll(async () => {
  process.env = savedEnv;
  setProcessKeyring(undefined);
  await sandbox.close();
});

const S = 1000;
const BASE = Date.UTC(2032, 5, 1, 8, 0, 0);
/** The second of change i: its own second, except the 100 of the tie. */
const stampOf = (T0: number, i: number) => T0 + 10 * S + (i < TIE_START ? i : i < TIE_START + TIE_SIZE ? TIE_START : i - TIE_SIZE + 1) * S;

interface Mode {
  name: string;
  table: string;
  entitySet: string;
  writer: (org: TestSandbox['sandbox']['core']) => ReturnType<typeof leadWriter>;
  nameColumn: string;
  update: (i: number) => Record<string, unknown>;
  tracked: boolean;
}
const MODES: Mode[] = [
  {
    name: 'stamps',
    table: 'transactioncurrency',
    entitySet: 'transactioncurrencies',
    writer: (org) => rowWriter(org, 'transactioncurrency'),
    nameColumn: 'currencyname',
    update: (i) => ({ currencysymbol: `c${i % 1000}` }),
    tracked: false,
  },
  {
    name: 'change tracking',
    table: 'lead',
    entitySet: 'leads',
    writer: leadWriter,
    nameColumn: 'subject',
    update: (i) => ({ jobtitle: `changed ${i}` }),
    tracked: true,
  },
];
const CASES = DATABASE_KINDS.flatMap((kind) => MODES.map((mode) => [kind, mode] as const));

describe.each(CASES)('R7 on %s: 10,000 changes, the poller killed mid-poll and restarted', (kind, mode) => {
  let db: TestDb;
  /** Changes the poller processes read again although their runs existed (see PollDueFlowsResult.replayed). */
  let replayed = 0;

  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(() => db.close());

  const countRuns = async (flowId: string) =>
    Number(
      (
        await db.db
          .selectFrom('runs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('flow_id', '=', flowId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Starts the poller process and SIGKILLs it once `flowId` has at least `atRuns` runs; returns the count then. */
  async function runPollerUntil(flowId: string, atRuns: number): Promise<number> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/poller-process.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        ...db.env,
        APP_ENCRYPTION_KEY: ENCRYPTION_KEY,
        DYNAMICS_ALLOWED_HOSTS: process.env.DYNAMICS_ALLOWED_HOSTS,
        NEXTAUTH_URL: process.env.NEXTAUTH_URL,
        POLL_PAGE_SIZE: String(PAGE_SIZE),
        POLL_MAX_EVENTS: String(MAX_EVENTS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let exited = false;
    const exit = new Promise<void>((r) => child.on('exit', () => ((exited = true), r())));
    try {
      for (;;) {
        const n = await countRuns(flowId);
        if (n >= atRuns) return n;
        if (exited) throw new Error(`the poller process exited early: ${stderr}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      child.kill('SIGKILL');
      await exit;
      expect(stderr).toBe(''); // no poll failed (and nothing was logged) before the kill
      for (const line of stdout.split('\n').filter((l) => l.startsWith('{')))
        replayed += (JSON.parse(line) as { replayed: number }).replayed;
    }
  }

  it(`${mode.name}: every change starts exactly one run: 0 gaps, 0 duplicates`, async () => {
    const org = sandbox.sandbox.core;
    const leads = mode.writer(org);
    const user = await createTestUser(db, 'r7');
    const account = await connectAccount(
      { db, ownerId: user.id, appOrigin: new URL(sandbox.service).origin },
      {
        method: 'password',
        serviceUrl: sandbox.service,
        clientId: 'sandbox-client',
        clientSecret: 'sandbox-secret',
        username: 'sales@sandbox.local',
        password: 'sandbox',
        name: 'R7',
      },
    );
    const tag = `r7-${kind}-`;
    // Each case a day apart: the organization is shared, and a later case's rows are newer, as time goes.
    const T0 = BASE + CASES.findIndex(([k, m]) => k === kind && m === mode) * 86_400 * S;
    // Half the changes update rows created before the start (they count as updates, their creation does
    // not); half are rows created after it. Rows that do not match the conditions never count.
    const earlier: string[] = [];
    for (let i = 0; i < CHANGES; i += 2) earlier.push(leads.create(`${tag}${i}`, T0 - 3_600 * S + i * 100));
    const flowId = await startedDynamicsFlow(db, user.id, {
      type: `dynamics.${mode.table}.new_or_updated`,
      accountId: account.id,
      inputs: {
        intervalSeconds: 60,
        conditions: { match: 'all', rules: [{ left: { column: mode.nameColumn }, operator: 'starts_with', right: tag }] },
      },
      startedAt: new Date(T0).toISOString(),
    });
    let firstPollSeq = 0;
    if (mode.tracked) {
      // The flow's first poll takes the baseline now (an hour ago for the interval, so the poller is due at once).
      const first = await pollDueFlows(db, { now: new Date(Date.now() - 61 * S), log: (m) => expect.fail(m) });
      expect(first).toMatchObject({ polled: 1, runsCreated: 0, failed: 0 });
      firstPollSeq = org.log.query({}).last;
    }
    const expected = new Map<string, 'new' | 'updated'>();
    for (let i = 0; i < CHANGES; i++) {
      if (i % 2 === 0) {
        const id = earlier[i / 2]!;
        leads.update(id, stampOf(T0, i), mode.update(i));
        expected.set(id.toLowerCase(), 'updated');
      } else {
        expected.set(leads.create(`${tag}${i}`, stampOf(T0, i)).toLowerCase(), 'new');
      }
      if (i % 50 === 0) leads.create(`noise-${kind}-${i}`, stampOf(T0, i));
    }

    // Slow each page a little, so most kills land while a page is being read.
    org.faults.set([{ kind: 'delay', rate: 1, delayMs: 15, scope: 'api', path: `/${mode.entitySet}?` }]);
    const atKill: number[] = [];
    try {
      for (const threshold of KILL_AT) atKill.push(await runPollerUntil(flowId, threshold));
    } finally {
      org.faults.clear();
    }
    // Each kill left work behind: the restart had to resume from the committed cursor.
    expect(atKill.every((n) => n < CHANGES)).toBe(true);
    // Restarted here: drain the rest (due: a killed poller never finished its backlog).
    const logs: string[] = [];
    const last = await pollDueFlows(db, {
      now: new Date(),
      pageSize: PAGE_SIZE,
      maxEvents: MAX_EVENTS,
      budgetMs: 60_000,
      log: (m) => logs.push(m),
    });
    expect(logs).toEqual([]);
    replayed += last.replayed;

    const runs = await runsOf(db, flowId);
    const byId = new Map<string, string[]>();
    for (const r of runs) {
      const t = JSON.parse(r.trigger_json!) as { id: string; event: string };
      byId.set(t.id.toLowerCase(), [...(byId.get(t.id.toLowerCase()) ?? []), t.event]);
    }
    const gaps = [...expected.keys()].filter((id) => !byId.has(id));
    const duplicates = [...byId].filter(([, events]) => events.length > 1);
    const strangers = [...byId.keys()].filter((id) => !expected.has(id));
    expect({ gaps: gaps.length, duplicates: duplicates.length, strangers: strangers.length }).toEqual({
      gaps: 0,
      duplicates: 0,
      strangers: 0,
    });
    expect(runs).toHaveLength(CHANGES);
    // Exact by the cursor alone (committed with its runs): no change was even read again after a
    // kill, so the dedupe key never had to step in.
    expect(replayed).toBe(0);
    expect(new Set(runs.map((r) => r.dedupe_key)).size).toBe(CHANGES);
    // Each change is of its kind (the tie's 100 included).
    expect([...expected].filter(([id, event]) => byId.get(id)?.[0] !== event)).toEqual([]);
    // The cursor ends at the last change, and the backlog is drained (next poll at the interval).
    const state = (await getTriggerState(db, user.id, flowId, 'tEvent'))?.cursor as DynamicsPollState;
    const lastStamp = new Date(stampOf(T0, CHANGES - 1)).toISOString().replace('.000Z', 'Z');
    if (mode.tracked) {
      // A finished round: a new token, no round in progress, its stamps at the last change.
      expect(state.cursor).toMatchObject({ kind: 'tracked', stamps: { kind: 'timestamp', watermark: lastStamp } });
      expect(state.cursor).not.toHaveProperty('round');
      expect(state.cursor).not.toHaveProperty('catchUp');
      // Every read after the baseline was a delta query: the token, never a $filter.
      const reads = org.log.query({ since: firstPollSeq, path: `/${mode.entitySet}?` }).value.map((r) => decodeURIComponent(r.path));
      expect(reads.length).toBeGreaterThan(CHANGES / PAGE_SIZE);
      expect(reads.filter((p) => !p.includes('$deltatoken=') || p.includes('$filter'))).toEqual([]);
    } else {
      expect(state.cursor).toMatchObject({ kind: 'timestamp', watermark: lastStamp });
    }
    expect(Date.parse(state.nextPollAt)).toBeGreaterThan(Date.now());
  }, 240_000);
});
