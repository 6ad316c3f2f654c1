#!/usr/bin/env node
// Benchmark of the standalone Dynamics 365 sandbox (Dataverse Web API and Microsoft identity emulator).
//   node bench/sandbox-bench.mjs [--duration 10] [--connections 50] [--rows 100000]
// Starts `tsx lib/dynamics/sandbox/standalone.ts` on a free port as a child process (service
// protection limits raised so the load is not throttled), gets a token with the password grant,
// then runs autocannon for: a baseline (WhoAmI: token check + routing, no data access),
// retrieve-by-id (full row), retrieve-by-id ($select of 3 columns) and create (POST accounts).
// Finally it bulk-loads rows and pages through all of them at 5,000 a page, sampling the server's
// RSS between pages. Prints a table and a JSON line; targets: ≥3,000 retrieve/s, ≥1,000 create/s,
// p99 < 20 ms at 50 connections, paging memory growth < 100 MB.
import autocannon from 'autocannon';
import { arg, freePort, sandboxAccessToken, startStandaloneSandbox } from './lib/standalone-sandbox.mjs';
import os from 'node:os';

const DURATION = arg('duration', 10);
const CONNECTIONS = arg('connections', 50);
const ROWS = arg('rows', 100000);

async function startSandbox(port) {
  return startStandaloneSandbox(port, {
    env: { ...process.env, NODE_OPTIONS: `--expose-gc ${process.env.SANDBOX_BENCH_NODE_OPTIONS ?? ''}` },
  });
}

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

const fmt = (n, d = 0) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = await startSandbox(port);
  try {
    const auth = { authorization: `Bearer ${await sandboxAccessToken(base)}`, accept: 'application/json' };
    const api = `${base}/api/data/v9.2`;
    const first = await (await fetch(`${api}/accounts?$select=accountid&$top=1`, { headers: auth })).json();
    const id = first.value[0].accountid;

    const scenarios = [
      { name: 'baseline: WhoAmI (auth + routing, no data)', url: `${api}/WhoAmI`, headers: auth },
      { name: 'retrieve by id (full row)', url: `${api}/accounts(${id})`, headers: auth },
      {
        name: 'retrieve by id ($select=name,revenue,accountnumber)',
        url: `${api}/accounts(${id})?$select=name,revenue,accountnumber`,
        headers: auth,
      },
      {
        name: 'create (POST accounts)',
        url: `${api}/accounts`,
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bench account', revenue: 1000, accountcategorycode: 1 }),
      },
    ];
    const results = [];
    for (const s of scenarios) {
      await run({ ...s, duration: 2 }); // warm-up
      const r = await run(s);
      const errors = r.errors + r.timeouts + (r.non2xx ?? 0);
      results.push({
        name: s.name,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        errors,
        total: r.requests.total,
      });
    }
    const baseline = results[0].rps;

    // Paging through ROWS rows at 5,000 a page.
    const loadStart = Date.now();
    const bulk = await (
      await fetch(`${base}/_sandbox/bulk`, { method: 'POST', body: JSON.stringify({ table: 'account', count: ROWS }) })
    ).json();
    const loadMs = Date.now() - loadStart;
    await fetch(`${base}/_sandbox/gc`, { method: 'POST' });
    const stats = async () => await (await fetch(`${base}/_sandbox/stats`)).json();
    const before = await stats();
    let peak = before.rss;
    let url = `${api}/accounts?$select=name,accountnumber,revenue,createdon`;
    let rows = 0;
    let pages = 0;
    const pageStart = Date.now();
    while (url) {
      const res = await fetch(url, { headers: { ...auth, prefer: 'odata.maxpagesize=5000' } });
      const body = await res.json();
      rows += body.value.length;
      pages++;
      url = body['@odata.nextLink'];
      const s = await stats();
      peak = Math.max(peak, s.rss);
    }
    const pageMs = Date.now() - pageStart;
    const growthMb = (peak - before.rss) / 1048576;

    console.log(
      `\nDynamics 365 sandbox benchmark — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${CONNECTIONS} connections, ${DURATION} s per scenario`,
    );
    console.log('| scenario | req/s | × baseline | p50 ms | p99 ms | max ms | errors |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results)
      console.log(`| ${r.name} | ${fmt(r.rps)} | ${fmt(r.rps / baseline, 2)} | ${r.p50} | ${r.p99} | ${r.max} | ${r.errors} |`);
    console.log(
      `\nPaging: bulk-loaded ${fmt(bulk.created)} accounts in ${fmt(loadMs)} ms; paged ${fmt(rows)} rows in ${pages} pages of ≤5,000 in ${fmt(pageMs)} ms (${fmt(rows / (pageMs / 1000))} rows/s); server RSS ${fmt(before.rss / 1048576, 1)} MB before → peak ${fmt(peak / 1048576, 1)} MB (growth ${fmt(growthMb, 1)} MB)`,
    );
    const retrieve = results[1];
    const create = results[3];
    const verdict = {
      retrieveRps: Math.round(retrieve.rps),
      retrieveP99: retrieve.p99,
      createRps: Math.round(create.rps),
      createP99: create.p99,
      pagingGrowthMb: Math.round(growthMb * 10) / 10,
      pass: retrieve.rps >= 3000 && create.rps >= 1000 && retrieve.p99 < 20 && create.p99 < 20 && growthMb < 100 && rows >= ROWS,
    };
    console.log(`\n${JSON.stringify(verdict)}`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
