#!/usr/bin/env node
// Benchmark of the sandbox's writes with persistent storage: does a large bulk insert, or a write
// after it, stall the event loop?
//   node bench/sandbox-write-bench.mjs [--rows 100000] [--writes 200]
// Starts `tsx lib/dynamics/sandbox/standalone.ts --data <tmp>` (persisted, as in the app) on a free
// port, then: (1) POST /_sandbox/bulk with --rows accounts while a probe asks GET /_sandbox/stats
// every 10 ms and records each answer's latency (what any other caller would wait); (2) after the
// flush, --writes sequential creates (POST accounts), each timed, with the probe still running.
// Reports the server's own event-loop delay (perf_hooks histogram from /_sandbox/stats, when the
// sandbox has it) and the probe latencies. Target: event-loop lag < 50 ms during and after the bulk.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { arg, freePort, sandboxAccessToken, startStandaloneSandbox } from './lib/standalone-sandbox.mjs';
import { performance } from 'node:perf_hooks';

const ROWS = arg('rows', 100000);
const WRITES = arg('writes', 200);

async function startSandbox(port, dir) {
  return startStandaloneSandbox(port, { extraArgs: ['--data', dir] });
}

const pct = (xs, p) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (n) => Math.round(n * 10) / 10;

function probe(base) {
  const samples = [];
  let stop = false;
  const run = (async () => {
    while (!stop) {
      const t0 = performance.now();
      await fetch(`${base}/_sandbox/stats`).then((r) => r.arrayBuffer());
      samples.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    samples,
    async end() {
      stop = true;
      await run;
      return samples;
    },
  };
}

async function loopStats(base, reset) {
  const body = await fetch(`${base}/_sandbox/stats${reset ? '?reset=1' : ''}`).then((r) => r.json());
  return body.eventLoop ?? null;
}

const port = await freePort();
const dir = mkdtempSync(join(os.tmpdir(), 'sandbox-write-bench-'));
const child = await startSandbox(port, dir);
const base = `http://127.0.0.1:${port}`;
try {
  const auth = { authorization: `Bearer ${await sandboxAccessToken(base)}`, 'content-type': 'application/json' };
  await new Promise((r) => setTimeout(r, 500));
  await loopStats(base, true);

  // (1) bulk, with the probe running
  const p1 = probe(base);
  const t0 = performance.now();
  const bulk = await fetch(`${base}/_sandbox/bulk`, { method: 'POST', body: JSON.stringify({ table: 'account', count: ROWS }) });
  const bulkMs = performance.now() - t0;
  if (bulk.status !== 200) throw new Error(`bulk: ${bulk.status} ${await bulk.text()}`);
  // let the persistence flush run (still probed)
  await new Promise((r) => setTimeout(r, 3000));
  const bulkProbe = await p1.end();
  const bulkLoop = await loopStats(base, true);

  // (2) writes after the bulk
  const p2 = probe(base);
  const writeMs = [];
  for (let i = 0; i < WRITES; i++) {
    const w0 = performance.now();
    const res = await fetch(`${base}/api/data/v9.2/accounts`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: `after bulk ${i}` }),
    });
    await res.arrayBuffer();
    if (res.status !== 204) throw new Error(`create: ${res.status}`);
    writeMs.push(performance.now() - w0);
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 500));
  const writeProbe = await p2.end();
  const writeLoop = await loopStats(base, true);

  const result = {
    node: process.version,
    cpus: os.cpus().length,
    load: os.loadavg().map(round),
    rows: ROWS,
    bulkMs: Math.round(bulkMs),
    duringBulk: {
      eventLoopMaxMs: bulkLoop ? round(bulkLoop.maxMs) : null,
      eventLoopP99Ms: bulkLoop ? round(bulkLoop.p99Ms) : null,
      probeP50Ms: round(pct(bulkProbe, 50)),
      probeP99Ms: round(pct(bulkProbe, 99)),
      probeMaxMs: round(Math.max(...bulkProbe)),
      probes: bulkProbe.length,
    },
    writesAfter: {
      writes: WRITES,
      createP50Ms: round(pct(writeMs, 50)),
      createP99Ms: round(pct(writeMs, 99)),
      createMaxMs: round(Math.max(...writeMs)),
      eventLoopMaxMs: writeLoop ? round(writeLoop.maxMs) : null,
      eventLoopP99Ms: writeLoop ? round(writeLoop.p99Ms) : null,
      probeMaxMs: round(Math.max(...writeProbe)),
    },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
