/**
 * Test support: one "worker process" for the shared-limits suites (lib/flows/runtime/limits). Run
 * with tsx as a child process; it opens the database named by its environment (DATABASE_URL or
 * DATA_DIR), installs the shared limits as the runtime does, and drives the real Dataverse client
 * against the sandbox, recording when each attempt left and what came back.
 *
 * Protocol, one JSON object per line. Configuration in DFD_LIMITS_CHILD (JSON: workerId, service,
 * authority, accountId, concurrency, heartbeatMs, expectWorkers). The child prints
 * `{"type":"ready"}` once the shared limits see `expectWorkers` live processes, then on stdin:
 *   {"type":"run","entitySet","calls","startAt"} → waits until startAt (epoch ms), sends `calls` GETs
 *     of one row at once, prints {"type":"done","sent":[{id,sentAt,receivedAt,status}],"peak","failed"}
 *   {"type":"exit"} → stops the shared limits, closes the database and exits.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../lib/db/database';
import { createDataverseClient } from '../../lib/dynamics/client/create-client';
import { accountThrottle } from '../../lib/dynamics/client/throttle/account-registry';
import { createHttpTransport, type Transport } from '../../lib/dynamics/client/transport/http-transport';
import { installSharedLimits } from '../../lib/flows/runtime/limits/install-shared-limits';
import { SANDBOX_CREDS } from './client-fixtures';

interface ChildConfig {
  workerId: string;
  service: string;
  authority: string;
  accountId: string;
  concurrency: number;
  heartbeatMs: number;
  expectWorkers: number;
}

interface Sent {
  id: string;
  sentAt: number;
  receivedAt: number;
  status: number;
}

const print = (message: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function main(): Promise<void> {
  const config = JSON.parse(process.env.DFD_LIMITS_CHILD ?? '{}') as ChildConfig;
  const db = await openDatabase();
  const installed = await installSharedLimits(db, { workerId: config.workerId, heartbeatMs: config.heartbeatMs });
  const host = new URL(config.service).host;
  const wire = createHttpTransport({ allowedHosts: [host] });
  let sent: Sent[] = [];
  const transport: Transport = {
    async send(req) {
      const entry: Sent = { id: req.headers['x-ms-client-request-id'] ?? '', sentAt: Date.now(), receivedAt: 0, status: 0 };
      if (req.url.includes('/api/data/')) sent.push(entry);
      try {
        const res = await wire.send(req);
        entry.status = res.status;
        return res;
      } finally {
        entry.receivedAt = Date.now();
      }
    },
  };
  const client = createDataverseClient(
    {
      id: config.accountId,
      serviceUrl: config.service,
      apiVersion: 'v9.2',
      identityEndpoint: config.authority,
      method: 'password',
      clientId: SANDBOX_CREDS.clientId,
      secrets: { clientSecret: SANDBOX_CREDS.clientSecret, username: SANDBOX_CREDS.username, password: SANDBOX_CREDS.password },
    },
    { saveTokens: async () => {}, markNeedsReconnect: async () => {} },
    { allowedHosts: [host], concurrency: config.concurrency, retry: { baseDelayMs: 20, maxDelayMs: 200 }, transport },
  );
  await client.whoAmI(); // the token first, so the runs only hit the Web API
  while (installed.limits.liveWorkers.length < config.expectWorkers) await sleep(20);
  print({ type: 'ready', live: installed.limits.liveWorkers.length });

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line) as { type: string; entitySet?: string; calls?: number; startAt?: number };
    if (command.type === 'exit') break;
    if (command.type !== 'run') continue;
    sent = [];
    const throttle = accountThrottle(config.accountId);
    throttle.limiter.peak = 0;
    await sleep((command.startAt ?? 0) - Date.now());
    let failed = 0;
    await Promise.all(
      Array.from({ length: command.calls ?? 1 }, async () => {
        try {
          const page = await client
            .retrievePages(command.entitySet ?? 'contacts', { select: ['createdon'], top: 1 })
            [Symbol.asyncIterator]()
            .next();
          if (page.done) failed++;
        } catch {
          failed++;
        }
      }),
    );
    print({ type: 'done', sent, peak: throttle.limiter.peak, failed });
  }
  lines.close();
  await installed.stop();
  await db.close();
  wire.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`limits child failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
