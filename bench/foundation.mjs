// Foundation figures: `next build` time, `npm start` time to ready (warm: nothing to install or
// build), and the idle memory (RSS) of the server process tree. Run: `node bench/foundation.mjs`.
import { spawn, spawnSync, execSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const port = 3917;

function time(fn) {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function waitForHealth(deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://localhost:${port}/api/health`);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function treeRssKb(pid) {
  const out = execSync('ps -e -o pid=,ppid=,rss=')
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const children = new Map();
  for (const [p, pp] of out) children.set(pp, [...(children.get(pp) ?? []), p]);
  const rss = new Map(out.map(([p, , r]) => [p, r]));
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

const build = () => {
  const r = spawnSync(join(root, 'node_modules/.bin/next'), ['build'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error('next build failed');
};
// Cold: no .next folder at all (a fresh clone); warm: Turbopack's cache from the previous build.
rmSync(join(root, '.next'), { recursive: true, force: true });
const coldBuildSeconds = time(build);
const buildSeconds = time(build);
// Re-stamp so that `npm start` sees an up-to-date build (warm start).
spawnSync('node', ['-e', "import('./scripts/lib/ensure.mjs').then(m => m.ensureBuild())"], { cwd: root, stdio: 'ignore' });

const dataDir = mkdtempSync(join(tmpdir(), 'dfd-bench-'));
const results = [];
for (let i = 0; i < 3; i++) {
  const started = Date.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: 'ignore',
    detached: true,
  });
  const ok = await waitForHealth(120_000);
  const ready = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 5000));
  await fetch(`http://localhost:${port}/signin`).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 3000));
  const rssMb = treeRssKb(child.pid) / 1024;
  const serverPid = Number(
    execSync('ps -e -o pid=,args=')
      .toString()
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /^\d+ next-server/.test(l))
      ?.split(' ')[0],
  );
  const serverRssMb = treeRssKb(serverPid) / 1024;
  process.kill(-child.pid, 'SIGTERM');
  await new Promise((r) => child.on('exit', r));
  if (!ok) throw new Error('server did not become ready');
  results.push({ ready, rssMb, serverRssMb });
}
rmSync(dataDir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
console.log(`dynamics-flow-designer ${version} on ${process.version}, ${execSync('nproc').toString().trim()} cores`);
console.log(`next build (cold, no .next): ${coldBuildSeconds.toFixed(1)} s`);
console.log(`next build (warm cache):    ${buildSeconds.toFixed(1)} s`);
console.log(
  `npm start to ready (warm):  ${median(results.map((r) => r.ready)).toFixed(2)} s (median of ${results.length}: ${results.map((r) => r.ready.toFixed(2)).join(', ')})`,
);
console.log(
  `idle server memory (RSS):   ${median(results.map((r) => r.serverRssMb)).toFixed(0)} MB next-server after serving one page; ${median(results.map((r) => r.rssMb)).toFixed(0)} MB with the npm and node wrappers`,
);
