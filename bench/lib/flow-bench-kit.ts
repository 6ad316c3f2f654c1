/**
 * Shared by the runtime benchmarks (engine-step-bench.ts, throttled-bench.ts): the standalone
 * sandbox as a child process (`npm run sandbox -- --port N …`, its own process group so stopping it
 * stops tsx too), a temporary migrated SQLite database with a user, and an account connected to the
 * sandbox the way the app connects one (keyring, connectAccount, DYNAMICS_ALLOWED_HOSTS).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../lib/db/database';
import { migrateToLatest } from '../../lib/db/migrate';
import { createUser } from '../../lib/db/repositories/users';
import { connectAccount } from '../../lib/dynamics/accounts/account-service';
import { loadKeyring, setProcessKeyring } from '../../lib/secrets/crypto';

export const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
export const flag = (name: string): boolean => process.argv.includes(`--${name}`);

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface SandboxChild {
  service: string;
  stop(): void;
}

/** `npm run sandbox -- --port <free> <args>`; resolves once it says it is listening. */
export async function startSandboxChild(args: string[]): Promise<SandboxChild> {
  const port = await freePort();
  // The benchmark talks to loopback; a proxy from the environment would only distort it.
  const env = { ...process.env };
  delete env.http_proxy;
  delete env.HTTP_PROXY;
  const child = spawn('npm', ['run', 'sandbox', '--', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
    env,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox did not start in 60 s')), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  const stop = () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  // However the benchmark ends (an error, process.exit, Ctrl-C), the sandbox's process group goes with it.
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  return { service: `http://127.0.0.1:${port}`, stop };
}

/** A bearer token for the sandbox's built-in user (public sample credentials), for setup and checks. */
export async function sandboxToken(service: string): Promise<string> {
  const res = await fetch(`${service}/login/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      scope: `${service}/.default`,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token request failed: ${res.status}`);
  return body.access_token;
}

export interface BenchWorld {
  db: Db;
  ownerId: string;
  accountId: string;
  close(): Promise<void>;
}

/** Temp SQLite database, migrated, with a user and an account connected to `service`. */
export async function openBenchWorld(service: string): Promise<BenchWorld> {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: randomBytes(32).toString('base64') } }));
  // The sandbox listens on a loopback port: allow it the way DYNAMICS_ALLOWED_HOSTS does in the app.
  process.env.DYNAMICS_ALLOWED_HOSTS = new URL(service).host;
  const dir = mkdtempSync(join(tmpdir(), 'dfd-bench-runtime-'));
  const db = await openDatabase({ sqlitePath: join(dir, 'app.db') });
  await migrateToLatest(db);
  const user = await createUser(db, {
    email: `bench-${randomBytes(4).toString('hex')}@example.test`,
    name: 'bench',
    passwordHash: 'scrypt$none',
  });
  const account = await connectAccount(
    { db, ownerId: user.id, appOrigin: new URL(service).origin },
    {
      method: 'password',
      serviceUrl: service,
      // The standalone sandbox serves its identity endpoint at the root, not under /sandbox.
      identityEndpoint: `${service}/login/organizations`,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      username: 'sales@sandbox.local',
      password: 'sandbox',
      name: 'Bench sandbox',
    },
  );
  return {
    db,
    ownerId: user.id,
    accountId: account.id,
    close: async () => {
      await db.close();
      if (process.env.KEEP) console.log(`database kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Nearest-rank percentile of an ascending list. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

/** The 1-, 5- and 15-minute load averages (the machine is shared; figures are read against them). */
export const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
