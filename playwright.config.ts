import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

/** A TCP port nobody listens on now: the kernel's pick for port 0 (asked synchronously, in a child). */
function freePort(): number {
  const script =
    "const s = require('node:net').createServer().listen(0, () => { process.stdout.write(String(s.address().port)); s.close(); });";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

// E2E_PORT when given, else a free port. Playwright loads this file in the runner and again in each
// worker: the runner picks the port once and sets E2E_PORT, which the workers inherit, so every
// process agrees on baseURL and the web server.
process.env.E2E_PORT ||= String(freePort());
const port = Number(process.env.E2E_PORT);
const baseURL = `http://localhost:${port}`;
// Its own data folder per run when several run side by side (E2E_DATA_DIR), else the usual one.
const dataDir = process.env.E2E_DATA_DIR ?? '.cache/e2e-data';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // scripts/test.mjs asks for a JSON report too (PLAYWRIGHT_JSON_OUTPUT_NAME) to print the test counts.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    // A fresh install has no users: this journey must run before anything signs up.
    { name: 'first-run', testMatch: /first-run\.spec\.ts/ },
    { name: 'chromium', testIgnore: /first-run\.spec\.ts/, dependencies: ['first-run'] },
  ],
  webServer: {
    command: `rm -rf ${dataDir} && node scripts/serve.mjs`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: 'e2e-only-secret-not-for-production-use',
      APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      // Browser journeys may drive the sandbox's test hooks (faults, request log) through the app.
      SANDBOX_HOOKS: 'on',
      // Every journey signs up its own users, all from 127.0.0.1.
      SIGNUP_FREE_PER_CLIENT: '1000',
    },
  },
});
