/**
 * Client benchmark: the Dataverse client's overhead per call over a bare `fetch` to the
 * standalone sandbox, both measured in the same run at 8 concurrent calls (target: < 10% extra),
 * and retrieving 100,000 rows lazily with flat memory.
 *
 * Run: `node --expose-gc --import tsx bench/client-bench.ts [--calls 4000] [--rows 100000]`
 * (starts `npm run sandbox -- --port <free port>` as a child process and stops it at the end).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createDataverseClient } from '../lib/dynamics/client/create-client';
import { createHttpTransport } from '../lib/dynamics/client/transport/http-transport';
import type { AccountConnection } from '../lib/dynamics/client/types';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 4000);
const ROWS = arg('rows', 100_000);
const CONCURRENCY = 8;
const ROUNDS = 7;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startSandbox(port: number): Promise<() => void> {
  const child = spawn('npm', ['run', 'sandbox', '--', '--port', String(port), '--requests', '100000000', '--concurrent', '1000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  return () => {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  };
}

/** Runs `n` calls with `CONCURRENCY` workers; returns mean ms per call (wall time / calls). */
async function run(n: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) await call();
    }),
  );
  return (performance.now() - started) / n;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const port = await freePort();
  const stop = await startSandbox(port);
  try {
    const service = `http://127.0.0.1:${port}`;
    const tokenRes = await fetch(`${service}/login/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
        username: 'sales@sandbox.local',
        password: 'sandbox',
        scope: `${service}/.default offline_access`,
      }),
    });
    const tokens = (await tokenRes.json()) as { access_token: string; refresh_token: string; expires_in: number };
    const account: AccountConnection = {
      id: 'bench',
      serviceUrl: service,
      apiVersion: 'v9.2',
      identityEndpoint: `${service}/login/organizations`,
      method: 'basic_oauth',
      clientId: 'sandbox-client',
      secrets: {
        clientSecret: 'sandbox-secret',
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        accessTokenExpiresAt: new Date(Date.now() + tokens.expires_in * 1000).toISOString(),
      },
    };
    const port0 = { saveTokens: async () => undefined, markNeedsReconnect: async () => undefined };
    const client = createDataverseClient(account, port0, { allowedHosts: [`127.0.0.1:${port}`], concurrency: CONCURRENCY });
    const [first] = (
      await (
        await fetch(`${service}/api/data/v9.2/accounts?$select=name&$top=1`, {
          headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' },
        })
      ).json()
    ).value as { accountid: string }[];
    const id = first?.accountid ?? '';
    const url = `${service}/api/data/v9.2/accounts(${id})?$select=name,revenue`;
    const headers = {
      authorization: `Bearer ${tokens.access_token}`,
      accept: 'application/json',
      'odata-maxversion': '4.0',
      'odata-version': '4.0',
    };
    const bare = async () => (await fetch(url, { headers })).json();
    const viaClient = () => client.retrieve('accounts', { id }, { select: ['name', 'revenue'] });
    // The same keep-alive node:http transport the client uses, without the pipeline (limiter, gate,
    // token cache, retries, URL building): isolates the pipeline's own cost.
    const wire = createHttpTransport({ allowedHosts: [`127.0.0.1:${port}`] });
    const raw = async () => JSON.parse((await wire.send({ method: 'GET', url, headers, timeoutMs: 30_000 })).body) as unknown;

    // Warm both paths (JIT, keep-alive sockets), then alternate rounds and take medians.
    await run(500, bare);
    await run(500, raw);
    await run(500, viaClient);
    const bareMs: number[] = [];
    const rawMs: number[] = [];
    const clientMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareMs.push(await run(CALLS, bare));
      rawMs.push(await run(CALLS, raw));
      clientMs.push(await run(CALLS, viaClient));
    }
    const b = median(bareMs);
    const w = median(rawMs);
    const c = median(clientMs);
    console.log(`# Client overhead (${CALLS} GET by id per round, ${CONCURRENCY} concurrent, median of ${ROUNDS} rounds)`);
    console.log(
      `bare fetch   : ${b.toFixed(3)} ms/call (${(1000 / b).toFixed(0)} calls/s)  rounds ${bareMs.map((x) => x.toFixed(3)).join(' ')}`,
    );
    console.log(
      `bare node:http: ${w.toFixed(3)} ms/call (${(1000 / w).toFixed(0)} calls/s)  rounds ${rawMs.map((x) => x.toFixed(3)).join(' ')}`,
    );
    console.log(
      `client       : ${c.toFixed(3)} ms/call (${(1000 / c).toFixed(0)} calls/s)  rounds ${clientMs.map((x) => x.toFixed(3)).join(' ')}`,
    );
    console.log(`overhead vs bare fetch     : ${(((c - b) / b) * 100).toFixed(1)}% (target < 10%)`);
    console.log(`overhead vs bare node:http : ${(((c - w) / w) * 100).toFixed(1)}% (the pipeline's own cost)`);

    // 100,000 rows, lazily.
    const bulk = await fetch(`${service}/_sandbox/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ table: 'contact', count: ROWS }),
    });
    if (!bulk.ok) throw new Error(`bulk: ${bulk.status} ${await bulk.text()}`);
    const total = await client.count('contacts');
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let rows = 0;
    let pages = 0;
    const started = performance.now();
    for await (const page of client.retrievePages('contacts', { select: ['fullname', 'emailaddress1'], pageSize: 5000 })) {
      rows += page.length;
      pages++;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const seconds = (performance.now() - started) / 1000;
    gc();
    const after = process.memoryUsage().heapUsed;
    console.log(`\n# Lazy retrieval (${ROWS} generated contacts + seed; $count answered ${total}, capped at 5,000 by design)`);
    console.log(`rows         : ${rows} in ${pages} pages of ≤ 5000, ${seconds.toFixed(2)} s (${Math.round(rows / seconds)} rows/s)`);
    console.log(`heap         : before ${mb(before)}, peak during ${mb(peak)}, after ${mb(after)} (gc before/after)`);
  } finally {
    stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
