// Shared by `npm start` and `npm test`: install what is missing, rebuild only when sources changed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export function log(message) {
  process.stdout.write(`\u25b8 ${message}\n`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options, env: { ...process.env, ...options.env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function runOrExit(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    process.stderr.write(`\n\u2716 ${command} ${args.join(' ')} failed (exit ${status})\n`);
    process.exit(status);
  }
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** Installs npm packages when node_modules is absent or the lock file changed since the last install. */
export function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.dfd-lock-hash');
  const want = sha256(readFileSync(existsSync(lock) ? lock : join(root, 'package.json')));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log('Installing npm packages (lock file changed or node_modules missing)…');
  const env = { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', NEXT_TELEMETRY_DISABLED: '1', npm_config_audit: 'false', npm_config_fund: 'false' };
  runOrExit('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'], { env });
  writeFileSync(stamp, want);
}

const buildInputs = [
  'app',
  'components',
  'lib',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];

function listFiles(path, out) {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) listFiles(join(path, name), out);
  } else if (!/\.test\.tsx?$/.test(path)) {
    out.push(path);
  }
}

function sourceHash() {
  const files = [];
  for (const input of buildInputs) listFiles(join(root, input), files);
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Runs `next build` when the sources changed since the last successful build. */
export function ensureBuild() {
  const stamp = join(root, '.next', '.dfd-source-hash');
  const want = sourceHash();
  if (existsSync(join(root, '.next', 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) {
    log('Build is up to date.');
    return;
  }
  log('Building the app (sources changed)…');
  runOrExit(join(root, 'node_modules', '.bin', 'next'), ['build'], { env: { NEXT_TELEMETRY_DISABLED: '1' } });
  writeFileSync(stamp, want);
}

const aptPackages = [
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  {
    name: 'postgresql',
    present: () =>
      existsSync('/usr/lib/postgresql') &&
      readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)),
  },
];

/** Installs Debian's chromium and postgresql when absent (tests need a real browser and a real database). */
export function ensureSystemPackages() {
  const missing = aptPackages.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  log(`Installing ${missing.join(', ')} with apt-get…`);
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (sudo.length ? runOrExit('sudo', ['apt-get', ...args], { env }) : runOrExit('apt-get', args, { env }));
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}
