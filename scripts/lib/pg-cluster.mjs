// Throwaway PostgreSQL clusters for tests and local scale-out trials: initdb into a fresh temp
// folder, start on a free port, hand back a URL, and remove everything on stop().
// Plain ESM JavaScript (no TypeScript, no npm dependencies) so any npm script can reuse it.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

/**
 * Finds the PostgreSQL server binaries: `PG_BIN` when set, else the newest
 * `/usr/lib/postgresql/<version>/bin` that holds `initdb`. Returns undefined when none is installed.
 * @returns {string | undefined}
 */
export function findPgBin() {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined;
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(PG_ROOT, versions[0], 'bin');
}

/** Asks the kernel for a free TCP port on 127.0.0.1. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway cluster and creates one database in it.
 * initdb refuses to run as root, so as root every server command runs as the `postgres` user
 * and the temp folder is handed to that user.
 * @param {{ database?: string, log?: (line: string) => void }} [opts]
 * @returns {Promise<{ url: string, adminUrl: string, port: number, dir: string, stop: () => Promise<void> }>}
 */
export async function startPgCluster(opts = {}) {
  const database = opts.database ?? 'dfd_test';
  const log = opts.log ?? (() => {});
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      `PostgreSQL server binaries not found under ${PG_ROOT}/*/bin (install the Debian "postgresql" package, or set PG_BIN or TEST_DATABASE_URL)`,
    );
  }
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = mkdtempSync(join(asRoot ? reachableTmpdir() : tmpdir(), 'dfd-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (asRoot) {
    const ids = postgresUserIds();
    chownSync(dir, ids.uid, ids.gid);
  }
  /** @param {string} tool @param {string[]} args */
  const run = (tool, args) => {
    const cmd = asRoot ? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const result = spawnSync(cmd, argv, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) {
      const serverLog = existsSync(logFile) ? `\n${readFileSync(logFile, 'utf8').slice(-2000)}` : '';
      throw new Error(`${tool} failed (exit ${result.status}): ${result.stderr || result.stdout}${serverLog}`);
    }
    return result.stdout;
  };

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopSync);
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // The server may already be gone; the folder is removed either way.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed test runner must not leave clusters or temp folders behind.
  process.once('exit', stopSync);

  try {
    // --no-sync and fsync=off: a test cluster's data is worthless after the run, speed is not.
    run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const serverOpts = [
        `-p ${port}`,
        `-k ${dir}`,
        `-c listen_addresses=127.0.0.1`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=300',
      ].join(' ');
      try {
        run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOpts, 'start']);
        break;
      } catch (err) {
        // Another process may have taken the port between freePort() and the bind.
        if (attempt >= 3) throw err;
        log(`pg-cluster: start on port ${port} failed, retrying`);
      }
    }
    run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
    log(`pg-cluster: PostgreSQL (${bin}) on ${url}`);
    return { url, adminUrl, port, dir, stop: async () => stopSync() };
  } catch (err) {
    stopSync();
    throw err;
  }
}

// As root the server runs as `postgres`, which must be able to walk down to its folder;
// a TMPDIR under /root would not do, /tmp does.
function reachableTmpdir() {
  for (let dir = tmpdir(); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return '/tmp';
    if (dirname(dir) === dir) return tmpdir();
  }
}

function postgresUserIds() {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('running as root but there is no "postgres" user to run initdb as (install the Debian "postgresql" package)');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
