// `npm test`: install what is missing, then typecheck, lint, unit + integration (vitest) and browser tests (Playwright).
import { ensureNodeModules, ensureSystemPackages, ensureBuild, run, log, root } from './lib/ensure.mjs';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
suite('Lint', 'npm', ['run', '--silent', 'lint']);
// Machine-readable results beside the usual console output, to report test counts at the end.
// Outside test-results/, which Playwright empties when it starts.
const reports = join(root, '.cache', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const vitestJson = join(reports, 'vitest.json');
const playwrightJson = join(reports, 'playwright.json');

suite('Unit and integration tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
ensureBuild();
suite('Browser tests (Playwright, Chromium)', bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });

function readJson(file) {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  } catch {
    return null;
  }
}
const vitest = readJson(vitestJson);
const playwright = readJson(playwrightJson);
const counts = {
  passed: (vitest?.numPassedTests ?? 0) + (playwright?.stats?.expected ?? 0) + (playwright?.stats?.flaky ?? 0),
  failed: (vitest?.numFailedTests ?? 0) + (playwright?.stats?.unexpected ?? 0),
  skipped: (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0) + (playwright?.stats?.skipped ?? 0),
};

const failed = results.filter((r) => !r.ok);
process.stdout.write('\n');
for (const r of results) process.stdout.write(`${r.ok ? '\u2714' : '\u2716'} ${r.name}\n`);
process.stdout.write(`suites: ${results.length - failed.length} of ${results.length} passed\n`);
process.stdout.write(
  `tests: ${counts.passed} passed, ${counts.failed + (failed.length && !counts.failed ? 1 : 0)} failed, ${counts.skipped} skipped\n`,
);
process.exit(failed.length ? 1 : 0);
