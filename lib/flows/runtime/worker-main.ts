// `npm run worker`: a process that only executes flows (RUNTIME=worker), on this machine or any
// other sharing the database. It reads the encryption key the way the app does (APP_ENCRYPTION_KEY,
// else DATA_DIR/encryption.key), opens and migrates the database from DATABASE_URL / DATA_DIR, proves
// the key fits it, starts the runtime (pg-boss consumer with QUEUE=pg-boss, else the runs-table
// workers; the trigger loop takes its turn at the `triggers` lease like every process), logs one
// line, and on SIGTERM/SIGINT stops taking runs and gives the ones in progress a grace period.
// Configuration problems print only their message and exit 1.
import { closeDb, getDb } from '../../db/database';
import { ConfigError } from '../../secrets/errors';
import { loadKeyring, setProcessKeyring } from '../../secrets/keyring';
import { expressionEvaluator } from '../expressions/evaluator';
import { runtimeConfig, RuntimeConfigError } from './runtime-config';
import { startRuntime } from './start-runtime';

/** How long runs in progress may take to finish after SIGTERM; the rest resume elsewhere after their lease. */
const GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = runtimeConfig({ ...process.env, RUNTIME: 'worker' });
  // The key is read first: a malformed key should stop us before the database is touched.
  setProcessKeyring(loadKeyring());
  const db = await getDb();
  const runtime = await startRuntime(db, { config });
  console.log(`flow worker ${runtime.workerId}: ${db.kind} ${db.label}, queue ${config.QUEUE}, ${config.RUN_WORKERS} runs at once`);

  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second signal: stop now (runs in progress resume elsewhere once their lease expires).
      process.exit(1);
    }
    console.log(`flow worker ${runtime.workerId}: ${signal}, stopping`);
    stopping = (async () => {
      await runtime.stop(GRACE_MS);
      await expressionEvaluator().close();
      await closeDb();
    })().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`flow worker: stop failed: ${err instanceof Error ? err.message : 'unknown error'}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RuntimeConfigError) console.error(err.message);
  else console.error(`flow worker failed to start: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`);
  process.exit(1);
});
