/**
 * Engine time per step of a Dynamics flow, without Dynamics (issue 9; target under 1 ms median).
 *
 * The flow: New lead (trigger) → Retrieve the account named like the lead's company → Update or
 * create the contact by its Email alternate key, linked to that account. It runs on the real
 * runtime: a temporary SQLite database (migrated), a user, an account connected to the standalone
 * sandbox, the flow stored with createFlow, runs enqueued with enqueueRuns and executed by
 * startRunWorkers. Its `onStep` reports each executed step's `executorMs` (inside the Dynamics
 * executor: client, HTTP, the sandbox) and `totalMs` (from the step's start to its record and the
 * next decision saved); engine time = totalMs − executorMs (resolving inputs, recording the flow's
 * own writes, deciding, saving the run state and step record).
 *
 * Run: `node --import tsx bench/engine-step-bench.ts [--runs 500] [--warmup 50] [--concurrency 1,8] [--expr] [--breakdown] [--what-if-cached-schemas]`
 * (`--expr` writes the inputs as JSONata expressions evaluated in the worker pool instead of
 * references; `--breakdown` times every SQLite statement and, in the passes at concurrency 1 where
 * a step's statements are the ones inside its window, splits engine time into database and the
 * rest, and reports the size of what each save writes; starts `npm run sandbox -- --port <free>` with throttling limits raised, stops it at the end).
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { z } from 'zod';
import type { Db } from '../lib/db/database';
import { checkFlow } from '../lib/flows/model/check-flow';
import { validateFlow } from '../lib/flows/validation/validate-flow';
import { createFlow } from '../lib/db/repositories/flows';
import { getClientForAccount } from '../lib/dynamics/accounts/account-client';
import { dynamicsConnector } from '../lib/dynamics/connector/dynamics-connector';
import { resolveAction } from '../lib/dynamics/connector/execute-action';
import { createExpressionEvaluator } from '../lib/flows/expressions/evaluator';
import type { ExpressionEvaluator, ExpressionScope } from '../lib/flows/expressions/types';
import { enqueueRuns } from '../lib/flows/runtime/enqueue';
import type { StepTiming } from '../lib/flows/runtime/run-executor';
import { startRunWorkers } from '../lib/flows/runtime/run-workers';
import { arg, flag, load, openBenchWorld, percentile, round, sandboxToken, startSandboxChild } from './lib/flow-bench-kit';
import { recordSqliteCalls, type SqlCall } from './lib/sqlite-timing';

const RUNS = arg('runs', 500);
const WARMUP = arg('warmup', 50);
const PASSES = (process.argv.includes('--concurrency') ? process.argv[process.argv.indexOf('--concurrency') + 1]! : '1,8')
  .split(',')
  .map(Number);
const EXPR = flag('expr');
const BREAKDOWN = flag('breakdown');
const CACHED_SCHEMAS = flag('what-if-cached-schemas');
const COMPANIES = 20;

const company = (i: number) => `Bench Co ${i % COMPANIES}`;

/** Trigger → Retrieve → Update or create, as the editor would save it. */
function flowDocument(accountId: string) {
  // References read the trigger's and the Retrieve's output directly; with --expr the same values
  // come from JSONata expressions (not plain paths, so they go to the worker pool).
  const fromTrigger = (field: string) =>
    EXPR ? { expr: `$trim($trigger.record.${field})` } : { ref: { step: 'tNewLead0001', path: `output.record.${field}` } };
  const accountOfFind = EXPR
    ? { expr: '$steps.aFindAcct001.output.records[0].accountid' }
    : { ref: { step: 'aFindAcct001', path: 'output.records.0.accountid' } };
  return {
    schemaVersion: 2,
    name: 'Lead to contact',
    nodes: [
      { id: 'tNewLead0001', type: 'dynamics.lead.new', typeVersion: 1, position: { x: 0, y: 0 }, params: { accountId, inputs: {} } },
      {
        id: 'aFindAcct001',
        type: 'dynamics.account.retrieve',
        typeVersion: 1,
        name: 'Find the company',
        position: { x: 240, y: 0 },
        params: {
          accountId,
          inputs: {
            conditions: { match: 'all', conditions: [{ field: 'name', operator: 'eq', value: fromTrigger('companyname') }] },
            maxItems: 1,
            whenMoreMatch: 'first_n',
            columns: ['name'],
          },
        },
      },
      {
        id: 'aSaveCont001',
        type: 'dynamics.contact.upsert',
        typeVersion: 1,
        name: 'Update or create the contact',
        position: { x: 480, y: 0 },
        params: {
          accountId,
          inputs: {
            match: { by: 'alternate_key', key: 'emailaddresskey' },
            mode: 'upsert',
            fields: {
              emailaddress1: fromTrigger('emailaddress1'),
              firstname: fromTrigger('firstname'),
              lastname: fromTrigger('lastname'),
              jobtitle: 'Lead from the web',
              parentcustomerid: { table: 'account', id: accountOfFind },
            },
          },
        },
      },
    ],
    edges: [
      { id: 'e1', from: { node: 'tNewLead0001', handle: 'next' }, to: { node: 'aFindAcct001' } },
      { id: 'e2', from: { node: 'aFindAcct001', handle: 'next' }, to: { node: 'aSaveCont001' } },
    ],
  };
}

/** What the Dynamics poller enqueues for a New lead (lib/flows/triggers/dynamics-poller.ts). */
function leadEvent(i: number) {
  const id = randomUUID();
  return {
    event: 'new',
    table: 'lead',
    id,
    record: { leadid: id, firstname: 'Ada', lastname: `Bench${i}`, emailaddress1: `lead${i % 250}@bench.test`, companyname: company(i) },
  };
}

const countBy = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});

interface Summary {
  median: number;
  p90: number;
  p99: number;
  max: number;
}
function summary(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: round(percentile(s, 50)),
    p90: round(percentile(s, 90)),
    p99: round(percentile(s, 99)),
    max: round(s[s.length - 1] ?? NaN),
  };
}

/** The database's share of each step's engine time: the statements that ran inside the step's window. */
function databaseShare(measured: (StepTiming & { end: number })[], calls: SqlCall[]) {
  const perStep = measured.map((t) => {
    const start = t.end - t.totalMs;
    const inside = calls.filter((c) => c.at >= start && c.at <= t.end);
    const sqlMs = inside.reduce((sum, c) => sum + c.prepareMs + c.runMs, 0);
    return {
      sqlMs,
      prepareMs: inside.reduce((sum, c) => sum + c.prepareMs, 0),
      statements: inside.length,
      rest: t.totalMs - t.executorMs - sqlMs,
      inside,
    };
  });
  const byHead = new Map<string, { n: number; ms: number[] }>();
  for (const s of perStep)
    for (const c of s.inside) {
      const e = byHead.get(c.head) ?? { n: 0, ms: [] };
      e.n++;
      e.ms.push(c.prepareMs + c.runMs);
      byHead.set(c.head, e);
    }
  return {
    sqlMs: summary(perStep.map((s) => s.sqlMs)),
    prepareMs: summary(perStep.map((s) => s.prepareMs)),
    notSqlMs: summary(perStep.map((s) => s.rest)),
    statementsPerStep: round(perStep.reduce((n, s) => n + s.statements, 0) / perStep.length, 2),
    statements: Object.fromEntries(
      [...byHead].map(([head, e]) => [head, { perStep: round(e.n / perStep.length, 2), medianMs: summary(e.ms).median }]),
    ),
  };
}

/**
 * Where the executor's time goes besides Dynamics itself: the sandbox's own time per request (its
 * request log) and what executeAction does before sending — building the action's input schema
 * for the table, which it does on every call, and parsing the input with it.
 */
async function executorParts(db: Db, ownerId: string, accountId: string, service: string, measured: StepTiming[]) {
  const log = (await (await fetch(`${service}/_sandbox/requests?limit=2000`)).json()) as { value: { path: string; durationMs: number }[] };
  const api = log.value.filter((r) => r.path.startsWith('/api/data/'));
  const client = await getClientForAccount(db, ownerId, accountId);
  const last = (type: string) => measured.filter((t) => t.nodeType === type);
  const parts: Record<string, unknown> = {
    sandboxServerMs: summary(api.map((r) => r.durationMs)),
  };
  const inputs: Record<string, unknown> = {
    'dynamics.account.retrieve': {
      conditions: { match: 'all', conditions: [{ field: 'name', operator: 'eq', value: company(1) }] },
      maxItems: 1,
      whenMoreMatch: 'first_n',
      columns: ['name'],
    },
    'dynamics.contact.upsert': {
      match: { by: 'alternate_key', key: 'emailaddresskey' },
      mode: 'upsert',
      fields: {
        emailaddress1: 'x@bench.test',
        firstname: 'Ada',
        lastname: 'X',
        jobtitle: 'Lead from the web',
        parentcustomerid: { table: 'account', id: randomUUID() },
      },
    },
  };
  for (const [type, input] of Object.entries(inputs)) {
    const resolved = await resolveAction(client, type);
    const build: number[] = [];
    const parse: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const schema = resolved.definition.input(resolved.table, resolved.directory) as z.ZodType;
      const t1 = performance.now();
      if (!schema.safeParse(input).success) throw new Error(`${type}: the sample input does not parse`);
      parse.push(performance.now() - t1);
      build.push(t1 - t0);
    }
    parts[type] = {
      executorMs: summary(last(type).map((t) => t.executorMs)).median,
      schemaBuildMs: summary(build),
      inputParseMs: summary(parse),
    };
  }
  return parts;
}

/**
 * One step's expressions as one batch (what resolveStepInputs sends), timed alone and with
 * `concurrency` batches in flight at once: the worker pool's round trip and its queue.
 */
async function expressionBatches(evaluator: ExpressionEvaluator, passes: number[]) {
  const record = { leadid: randomUUID(), firstname: 'Ada', lastname: 'Bench', emailaddress1: 'lead1@bench.test', companyname: company(1) };
  const scope = {
    trigger: { event: 'new', table: 'lead', id: record.leadid, record },
    steps: { tNewLead0001: { status: 'succeeded', output: { event: 'new', table: 'lead', id: record.leadid, record } } },
    vars: {},
    run: { id: randomUUID(), flowId: 'f', mode: 'live' },
  } as unknown as ExpressionScope;
  const batch = ['$trim($trigger.record.emailaddress1)', '$trim($trigger.record.firstname)', '$trim($trigger.record.lastname)'];
  const out: Record<string, Summary> = {};
  for (const concurrency of passes) {
    const ms: number[] = [];
    for (let round = 0; round < 300 / concurrency; round++) {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          const t0 = performance.now();
          const results = await evaluator.evaluateAll(batch, scope);
          if (!results.every((r) => r.ok)) throw new Error('an expression failed');
          ms.push(performance.now() - t0);
        }),
      );
    }
    out[`concurrency ${concurrency}`] = summary(ms);
  }
  return out;
}

/**
 * What-if (`--what-if-cached-schemas`, a measurement, not a fix): executeAction builds the
 * action's zod input schema for the table on every call. Memoizing each action's `input` per
 * (table, directory) object in this process, as lib/flows/validation/action-checks.ts does for
 * validation, shows what that costs the executor and the process.
 */
function cacheActionSchemas(): void {
  for (const action of dynamicsConnector.actions) {
    const build = action.input.bind(action);
    const byTable = new WeakMap<object, { directory: object; schema: ReturnType<typeof build> }>();
    action.input = (table, directory) => {
      const hit = byTable.get(table);
      if (hit && hit.directory === directory) return hit.schema;
      const schema = build(table, directory);
      byTable.set(table, { directory, schema });
      return schema;
    };
  }
}

async function main(): Promise<void> {
  if (CACHED_SCHEMAS) cacheActionSchemas();
  const sqlCalls = BREAKDOWN ? recordSqliteCalls() : [];
  const sandbox = await startSandboxChild(['--requests', '100000000', '--concurrent', '100000']);
  let world: Awaited<ReturnType<typeof openBenchWorld>> | undefined;
  // The runtime's defaults (2 worker processes), as start-runtime's expressionEvaluator() has them.
  const evaluator = createExpressionEvaluator();
  try {
    world = await openBenchWorld(sandbox.service);
    const { db, ownerId, accountId } = world;
    const token = await sandboxToken(sandbox.service);
    for (let i = 0; i < COMPANIES; i++) {
      const res = await fetch(`${sandbox.service}/api/data/v9.2/accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: company(i) }),
      });
      if (res.status !== 204 && res.status !== 201) throw new Error(`creating ${company(i)}: ${res.status} ${await res.text()}`);
    }

    const doc = flowDocument(accountId);
    const checked = checkFlow(doc);
    if (!checked.ok) throw new Error(`checkFlow: ${JSON.stringify(checked.problems)}`);
    const validated = await validateFlow({ db, ownerId }, doc);
    if (validated.problems.length) throw new Error(`validateFlow: ${JSON.stringify(validated.problems)}`);
    const { flow } = await createFlow(db, ownerId, { name: 'Lead to contact', document: doc });

    // The evaluator the workers get, timing each batch (a step's expressions go as one batch).
    const batchMs: number[] = [];
    // How late this process's event loop ran during the pass (a busy loop delays every await).
    let lag = { p50: 0, p99: 0, max: 0 };
    const timedEvaluator: ExpressionEvaluator = {
      evaluateAll: async (expressions, scope, options) => {
        const t0 = performance.now();
        try {
          return await evaluator.evaluateAll(expressions, scope, options);
        } finally {
          batchMs.push(performance.now() - t0);
        }
      },
      close: () => evaluator.close(),
    };
    let timings: (StepTiming & { end: number })[] = [];
    let expected = 0;
    let reached: () => void = () => undefined;
    const onStep = (t: StepTiming) => {
      timings.push({ ...t, end: performance.now() });
      if (timings.length === expected) reached();
    };
    let seq = 0;
    const batch = async (n: number, concurrency: number): Promise<{ seconds: number; cpuMsPerRun: number; runIds: string[] }> => {
      timings = [];
      sqlCalls.length = 0;
      batchMs.length = 0;
      expected = n * 2;
      const done = new Promise<void>((r) => (reached = r));
      const workers = startRunWorkers({
        db,
        workerId: `bench-${concurrency}`,
        evaluator: () => timedEvaluator,
        concurrency,
        onStep,
        log: console.error,
      });
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const requests = Array.from({ length: n }, () => {
        const trigger = leadEvent(seq++);
        return { ownerId, flowId: flow.id, flowVersion: 1, trigger, triggerKind: 'dynamics.lead.new', dedupeKey: `new:${trigger.id}` };
      });
      const enqueued = await enqueueRuns(db, requests);
      // A run that fails reports fewer steps: give up after a while and say how the runs ended.
      const late = new Promise<'late'>((r) => setTimeout(() => r('late'), 120_000).unref());
      if ((await Promise.race([done, late])) === 'late') {
        const rows = await db.db
          .selectFrom('runs')
          .select(['status', 'error_json'])
          .where(
            'id',
            'in',
            enqueued.map((e) => e.runId),
          )
          .execute();
        const failed = rows.find((r) => r.status === 'failed');
        await workers.stop(1_000);
        throw new Error(
          `only ${timings.length} of ${expected} steps reported after 120 s; statuses ${JSON.stringify(countBy(rows.map((r) => r.status)))}${failed ? `, e.g. ${failed.error_json}` : ''}`,
        );
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      loop.disable();
      lag = { p50: round(loop.percentile(50) / 1e6), p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) };
      await workers.stop(5_000);
      return { seconds, cpuMsPerRun: (cpu.user + cpu.system) / 1000 / n, runIds: enqueued.map((e) => e.runId) };
    };

    /** What the saves wrote: the run state (rewritten whole on every save) and the step records. */
    const writtenSizes = async (runIds: string[]) => {
      const runs = await db.db
        .selectFrom('runs')
        .select((eb) => eb.fn('length', ['state_json']).as('n'))
        .where('id', 'in', runIds)
        .execute();
      const steps = await db.db
        .selectFrom('run_steps')
        .select((eb) => [eb.fn('length', ['input_json']).as('i'), eb.fn('length', ['output_json']).as('o')])
        .where('run_id', 'in', runIds)
        .execute();
      const avg = (xs: unknown[]) => Math.round(xs.reduce<number>((a, x) => a + Number(x ?? 0), 0) / Math.max(1, xs.length));
      return {
        finalStateBytes: avg(runs.map((r) => r.n)),
        stepInputBytes: avg(steps.map((r) => r.i)),
        stepOutputBytes: avg(steps.map((r) => r.o)),
      };
    };

    console.log(
      `# Engine time per step (${EXPR ? 'JSONata expressions' : 'references'}${CACHED_SCHEMAS ? ', what-if: action schemas cached' : ''}), load average ${load()}`,
    );
    const results: Record<string, unknown>[] = [];
    for (const concurrency of PASSES) {
      await batch(WARMUP, concurrency);
      const { seconds, cpuMsPerRun, runIds } = await batch(RUNS, concurrency);
      const measured = timings;
      const statuses = await db.db
        .selectFrom('runs')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .where('id', 'in', runIds)
        .groupBy('status')
        .execute();
      const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
      if (byStatus.succeeded !== RUNS) throw new Error(`not every run succeeded: ${JSON.stringify(byStatus)}`);
      const engine = measured.map((t) => t.totalMs - t.executorMs);
      const perType = (type: string) => {
        const of = measured.filter((t) => t.nodeType === type);
        return { engineMs: summary(of.map((t) => t.totalMs - t.executorMs)), executorMs: summary(of.map((t) => t.executorMs)) };
      };
      const row = {
        concurrency,
        runs: RUNS,
        steps: measured.length,
        seconds: round(seconds, 2),
        runsPerSecond: Math.round(RUNS / seconds),
        // This process's CPU per run (runtime, client, connector; the sandbox is another process).
        cpuMsPerRun: round(cpuMsPerRun, 2),
        engineMs: summary(engine),
        targetEngineMedianUnder1Ms:
          percentile(
            [...engine].sort((a, b) => a - b),
            50,
          ) < 1,
        executorMs: summary(measured.map((t) => t.executorMs)),
        retrieve: perType('dynamics.account.retrieve'),
        upsert: perType('dynamics.contact.upsert'),
        eventLoopDelayMs: lag,
        load: load(),
        // Wall time of each step's expression batch in the pool (part of engine time), with --expr.
        ...(EXPR ? { expressionBatchMs: summary(batchMs) } : {}),
        ...(BREAKDOWN && concurrency === 1 ? { database: databaseShare(measured, sqlCalls), written: await writtenSizes(runIds) } : {}),
      };
      results.push(row);
      console.log(JSON.stringify(row, null, 2));
    }

    if (BREAKDOWN)
      console.log(JSON.stringify({ executorParts: await executorParts(db, ownerId, accountId, sandbox.service, timings) }, null, 2));
    if (BREAKDOWN && EXPR) console.log(JSON.stringify({ expressionBatchMs: await expressionBatches(evaluator, PASSES) }, null, 2));

    // The flow did its work: every bench lead's contact exists once, linked to its company.
    const contacts = (await (
      await fetch(
        `${sandbox.service}/api/data/v9.2/contacts?$select=emailaddress1,_parentcustomerid_value&$filter=endswith(emailaddress1,'@bench.test')`,
        { headers: { authorization: `Bearer ${token}`, accept: 'application/json', prefer: 'odata.maxpagesize=5000' } },
      )
    ).json()) as { value: { emailaddress1: string; _parentcustomerid_value: string | null }[] };
    const linked = contacts.value.filter((c) => c._parentcustomerid_value).length;
    const distinct = new Set(contacts.value.map((c) => c.emailaddress1)).size;
    const want = Math.min(seq, 250);
    console.log(
      `check: ${contacts.value.length} bench contacts (${distinct} distinct emails, expected ${want}), ${linked} linked to an account`,
    );
    if (contacts.value.length !== want || distinct !== want || linked !== want)
      throw new Error('the flow did not write what it should have');
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
