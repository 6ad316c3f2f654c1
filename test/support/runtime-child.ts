/**
 * A runtime process for the R1 crash test (lib/flows/runtime/crash-recovery.integration.test.ts):
 * `node --import tsx test/support/runtime-child.ts` opens the database in DATABASE_URL / DATA_DIR,
 * reads the encryption key from APP_ENCRYPTION_KEY and starts the flow runtime as the app does
 * (startRuntime, settings from the environment: RUNTIME, RUN_WORKERS, RUN_LEASE_MS, …), until it is
 * killed — the test sends SIGKILL mid-run, so nothing gets to clean up. Prints `ready <workerId>`
 * once the runtime is started; the runtime's log goes to stderr.
 */
import { openDatabase } from '../../lib/db/database';
import { runtimeConfig } from '../../lib/flows/runtime/runtime-config';
import { startRuntime } from '../../lib/flows/runtime/start-runtime';
import { loadKeyring, setProcessKeyring } from '../../lib/secrets/crypto';

async function main(): Promise<void> {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY } }));
  const db = await openDatabase();
  const runtime = await startRuntime(db, { config: runtimeConfig(process.env), log: (m) => process.stderr.write(`${m}\n`) });
  process.stdout.write(`ready ${runtime.workerId}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`runtime child failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}\n`);
  process.exit(1);
});
