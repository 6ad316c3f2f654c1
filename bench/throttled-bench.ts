/**
 * Throttled throughput (issue 9): 1,000 runs of a flow with two Dynamics calls each (create a
 * contact, then update it) against the standalone sandbox held to Dataverse's per-user service
 * protection limits, scaled down in time: Dataverse allows 6,000 requests per 5 minutes and 52
 * concurrent requests per user; the sandbox here allows 600 per 30 s (the same rate, 20 requests
 * per second, over a window ten times shorter) and 52 concurrent. Targets: at least 90 % of the
 * limit used while work remains, and no failed run.
 *
 * The runs use the real runtime (temporary SQLite database, startRunWorkers with the runtime's
 * default 16 workers) and the real Dataverse client, whose per-account limiter, Retry-After gate
 * and retries (the steps' default policy: 4 attempts) are what keeps them within the limit. What
 * the sandbox accepted and refused is read from its request log (`GET /_sandbox/requests`,
 * polled every second), so the figures are the service's view, not the client's.
 *
 * Setup's few requests are let out of the sliding window (one window's wait) before the runs start.
 *
 * Run: `node --import tsx bench/throttled-bench.ts [--runs 1000] [--requests 600] [--window 30] [--concurrent 52] [--workers 16]`
 * (starts `npm run sandbox -- --port <free> --requests 600 --concurrent 52 --window 30`, stops it at the end).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { createFlow } from '../lib/db/repositories/flows';
import { createExpressionEvaluator } from '../lib/flows/expressions/evaluator';
import { checkFlow } from '../lib/flows/model/check-flow';
import { enqueueRuns } from '../lib/flows/runtime/enqueue';
import { startRunWorkers } from '../lib/flows/runtime/run-workers';
import { validateFlow } from '../lib/flows/validation/validate-flow';
import { arg, load, openBenchWorld, round, sandboxToken, startSandboxChild } from './lib/flow-bench-kit';

const RUNS = arg('runs', 1000);
const LIMIT = arg('requests', 600);
const WINDOW_S = arg('window', 30);
const CONCURRENT = arg('concurrent', 52);
const WORKERS = arg('workers', 16);

interface Logged {
  seq: number;
  time: string;
  method: string;
  path: string;
  status: number;
}

/** Reads the sandbox's request log every second (it keeps the last 2,000 entries; we keep all). */
async function followRequestLog(service: string) {
  const entries: Logged[] = [];
  let last = 0;
  let gaps = 0;
  let stopped = false;
  const poll = async () => {
    const res = await fetch(`${service}/_sandbox/requests?since=${last}`);
    const body = (await res.json()) as { value: Logged[]; last: number };
    for (const e of body.value) {
      if (e.seq !== last + 1) gaps += e.seq - last - 1;
      last = e.seq;
      entries.push({ seq: e.seq, time: e.time, method: e.method, path: e.path, status: e.status });
    }
  };
  // Where the log stands now: entries before this (cleared or not) are not ours.
  last = ((await (await fetch(`${service}/_sandbox/requests?since=${Number.MAX_SAFE_INTEGER}`)).json()) as { last: number }).last;
  const loop = (async () => {
    while (!stopped) {
      await poll();
      await delay(1_000);
    }
    await poll();
  })();
  return {
    entries,
    get gaps() {
      return gaps;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Contacts the runs created and then updated, read back through the Web API (waiting out a 429). */
async function qualifiedContacts(service: string): Promise<number> {
  const token = await sandboxToken(service);
  const url = `${service}/api/data/v9.2/contacts?$select=contactid&$filter=startswith(emailaddress1,'throttled') and jobtitle eq 'Qualified by a flow'`;
  for (;;) {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', prefer: 'odata.maxpagesize=5000' },
    });
    if (res.status === 429) {
      await delay(Number(res.headers.get('retry-after') ?? '1') * 1000);
      continue;
    }
    if (!res.ok) throw new Error(`reading the contacts back: ${res.status}`);
    return ((await res.json()) as { value: unknown[] }).value.length;
  }
}

function flowDocument(accountId: string) {
  return {
    schemaVersion: 2,
    name: 'Create then update',
    nodes: [
      { id: 'tManual00001', type: 'manual.trigger', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} } },
      {
        id: 'aCreate00001',
        type: 'dynamics.contact.create',
        typeVersion: 1,
        name: 'Create the contact',
        position: { x: 240, y: 0 },
        params: {
          accountId,
          inputs: {
            fields: {
              lastname: { ref: { step: 'tManual00001', path: 'output.lastname' } },
              emailaddress1: { ref: { step: 'tManual00001', path: 'output.email' } },
            },
          },
        },
      },
      {
        id: 'aUpdate00001',
        type: 'dynamics.contact.update',
        typeVersion: 1,
        name: 'Qualify it',
        position: { x: 480, y: 0 },
        params: {
          accountId,
          inputs: {
            match: { by: 'id', id: { ref: { step: 'aCreate00001', path: 'output.id' } } },
            fields: { jobtitle: 'Qualified by a flow' },
          },
        },
      },
    ],
    edges: [
      { id: 'e1', from: { node: 'tManual00001', handle: 'next' }, to: { node: 'aCreate00001' } },
      { id: 'e2', from: { node: 'aCreate00001', handle: 'next' }, to: { node: 'aUpdate00001' } },
    ],
  };
}

async function main(): Promise<void> {
  const sandbox = await startSandboxChild(['--requests', String(LIMIT), '--concurrent', String(CONCURRENT), '--window', String(WINDOW_S)]);
  let world: Awaited<ReturnType<typeof openBenchWorld>> | undefined;
  const evaluator = createExpressionEvaluator(); // the runtime's defaults (2 worker processes);
  try {
    world = await openBenchWorld(sandbox.service);
    const { db, ownerId, accountId } = world;
    const doc = flowDocument(accountId);
    const checked = checkFlow(doc);
    if (!checked.ok) throw new Error(`checkFlow: ${JSON.stringify(checked.problems)}`);
    const validated = await validateFlow({ db, ownerId }, doc);
    if (validated.problems.length) throw new Error(`validateFlow: ${JSON.stringify(validated.problems)}`);
    const { flow } = await createFlow(db, ownerId, { name: 'Create then update', document: doc });

    // Setup (connecting the account, validating against its metadata) used a few requests; once
    // they have left the sliding window the runs start with the whole limit, and the log is
    // cleared so the figures below are the runs' own.
    await delay(WINDOW_S * 1000 + 500);
    await fetch(`${sandbox.service}/_sandbox/requests`, { method: 'DELETE' });
    const log = await followRequestLog(sandbox.service);
    const workers = startRunWorkers({
      db,
      workerId: 'bench-throttled',
      evaluator: () => evaluator,
      concurrency: WORKERS,
      log: console.error,
    });
    const t0 = Date.now();
    const enqueued = await enqueueRuns(
      db,
      Array.from({ length: RUNS }, (_, i) => ({
        ownerId,
        flowId: flow.id,
        flowVersion: 1,
        trigger: { lastname: `Throttled${i}`, email: `throttled${i}@bench.test` },
        triggerKind: 'manual.trigger',
      })),
    );
    const ids = enqueued.map((e) => e.runId);
    let byStatus: Record<string, number> = {};
    for (;;) {
      const rows = await db.db
        .selectFrom('runs')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .where('flow_id', '=', flow.id)
        .groupBy('status')
        .execute();
      byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      const ended = (byStatus.succeeded ?? 0) + (byStatus.failed ?? 0) + (byStatus.cancelled ?? 0);
      if (ended === ids.length) break;
      if (Date.now() - t0 > 170_000) throw new Error(`runs not done after 170 s: ${JSON.stringify(byStatus)}`);
      await delay(250);
    }
    const t1 = Date.now();
    await workers.stop(5_000);
    await log.stop();

    const api = log.entries.filter((e) => e.path.startsWith('/api/data/'));
    const accepted = api.filter((e) => e.status !== 429);
    const refused = api.filter((e) => e.status === 429);
    const other = accepted.filter((e) => e.status >= 400);
    const startMs = Math.min(...api.map((e) => Date.parse(e.time)));
    const endMs = Math.max(...api.map((e) => Date.parse(e.time)));
    const windowMs = WINDOW_S * 1000;
    const duration = (t1 - t0) / 1000;
    // Consecutive windows from the first request: a full window should hold the whole limit while
    // work remains; the last one holds what was left and is not a measure of the limit's use.
    const windows: { from: number; accepted: number; refused: number; share: number; full: boolean }[] = [];
    for (let from = startMs; from <= endMs; from += windowMs) {
      const inside = (e: Logged) => Date.parse(e.time) >= from && Date.parse(e.time) < from + windowMs;
      const a = accepted.filter(inside).length;
      windows.push({
        from: round((from - startMs) / 1000, 1),
        accepted: a,
        refused: refused.filter(inside).length,
        share: round(a / LIMIT, 3),
        full: from + windowMs <= endMs,
      });
    }
    const full = windows.filter((w) => w.full);
    const runRequests = ids.length * 2;
    // The fastest the limit allows: `LIMIT` at once, then `LIMIT` more each window.
    const idealSeconds = WINDOW_S * Math.max(0, Math.ceil(accepted.length / LIMIT) - 1);
    const failedRuns = await db.db
      .selectFrom('runs')
      .select(['id', 'error_json'])
      .where('flow_id', '=', flow.id)
      .where('status', '!=', 'succeeded')
      .limit(5)
      .execute();
    const result = {
      limit: `${LIMIT} requests per ${WINDOW_S} s, ${CONCURRENT} concurrent (Dataverse: 6,000 per 300 s, 52 concurrent; same rate, window scaled ÷${round(300 / WINDOW_S, 1)})`,
      runs: ids.length,
      workers: WORKERS,
      runsByStatus: byStatus,
      failedRuns: ids.length - (byStatus.succeeded ?? 0),
      firstFailures: failedRuns.map((r) => r.error_json),
      seconds: round(duration, 1),
      requestsAccepted: accepted.length,
      requestsAcceptedBeyondTheRuns: accepted.length - runRequests,
      non429Errors: other.length,
      sandbox429s: refused.length,
      logEntriesMissed: log.gaps,
      acceptedPerSecond: round(accepted.length / ((endMs - startMs) / 1000), 2),
      limitPerSecond: round(LIMIT / WINDOW_S, 2),
      shareOfLimitOverRun: round(accepted.length / ((LIMIT * (endMs - startMs)) / windowMs), 3),
      shareOfLimitInFullWindows: full.length ? round(full.reduce((s, w) => s + w.accepted, 0) / (full.length * LIMIT), 3) : null,
      idealSeconds,
      firstToLastRequestSeconds: round((endMs - startMs) / 1000, 1),
      windows,
      load: load(),
    };
    const written = await qualifiedContacts(sandbox.service);
    const verdict = {
      shareOfLimitAtLeast90PercentInFullWindows: result.shareOfLimitInFullWindows !== null && result.shareOfLimitInFullWindows >= 0.9,
      noFailedRun: result.failedRuns === 0,
      // The runs did their work: one contact per run, updated by the second step.
      contactsCreatedAndUpdated: `${written} of ${ids.length}`,
    };
    console.log(JSON.stringify({ ...result, targets: verdict }, null, 2));
    if (written !== ids.length && result.failedRuns === 0) throw new Error('runs succeeded but their contacts are not all there');
  } finally {
    await evaluator.close();
    await world?.close();
    sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
