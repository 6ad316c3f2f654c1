// `npm test`: install what is missing, then typecheck, lint, unit + integration (vitest) and browser tests (Playwright).
import { ensureNodeModules, ensureSystemPackages, ensureBuild, run, log, root } from './lib/ensure.mjs';
import { join } from 'node:path';

ensureNodeModules();
ensureSystemPackages();

const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = [];
function suite(name, command, args, env) {
  log(`${name}…`);
  const status = run(command, args, { env });
  results.push({ name, ok: status === 0 });
  return status === 0;
}

suite('Typecheck', 'sh', ['-c', `${bin('next')} typegen >/dev/null && ${bin('tsc')} --noEmit`]);
suite('Lint', bin('eslint'), ['--max-warnings', '0', '.']);
suite('Unit and integration tests (vitest)', bin('vitest'), ['run']);
ensureBuild();
suite('Browser tests (Playwright, Chromium)', bin('playwright'), ['test']);

const failed = results.filter((r) => !r.ok);
process.stdout.write('\n');
for (const r of results) process.stdout.write(`${r.ok ? '\u2714' : '\u2716'} ${r.name}\n`);
process.stdout.write(`suites: ${results.length - failed.length} passed, ${failed.length} failed\n`);
process.exit(failed.length ? 1 : 0);
