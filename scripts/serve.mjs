// Serves an existing build: migrate the database (stopping on a configuration error), then `next start`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root } from './lib/ensure.mjs';

const port = process.env.PORT || '3000';
// The same rule as resolveDataDir in lib/config/data-dir.ts (the source of truth; plain node cannot
// import TypeScript): DATA_DIR, else ./data. Resolved here once and handed to the app absolute.
const dataDir = resolve(root, process.env.DATA_DIR?.trim() || 'data');
mkdirSync(dataDir, { recursive: true });

// next-auth signs sessions with this; generated once per installation like the encryption key.
function authSecret() {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = join(dataDir, 'auth.secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const env = {
  ...process.env,
  DATA_DIR: dataDir,
  PORT: port,
  NEXTAUTH_SECRET: authSecret(),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
};

const migrate = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['lib/db/migrate-cli.ts'], { cwd: root, env, stdio: 'inherit' });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const server = spawn(join(root, 'node_modules', '.bin', 'next'), ['start', '-p', port], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
