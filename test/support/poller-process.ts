/**
 * A poller process for the R7 kill-and-restart test (lib/flows/triggers/dynamics-poller.r7.test.ts):
 * `node --import tsx test/support/poller-process.ts` polls the Dynamics event triggers of the
 * database in DATABASE_URL / DATA_DIR until it is killed (the test sends SIGKILL mid-poll, so nothing
 * gets to clean up). Settings from the environment: APP_ENCRYPTION_KEY (to read the account's
 * secrets), POLL_PAGE_SIZE, POLL_MAX_EVENTS. Prints `ready` once the database is open, then one JSON
 * line `{ runsCreated, replayed }` per pass that did something.
 */
import { openDatabase } from '../../lib/db/database';
import { pollDueFlows } from '../../lib/flows/triggers/dynamics-poller';
import { loadKeyring, setProcessKeyring } from '../../lib/secrets/crypto';

const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

async function main(): Promise<void> {
  setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY } }));
  const db = await openDatabase();
  process.stdout.write('ready\n');
  const pageSize = number('POLL_PAGE_SIZE');
  const maxEvents = number('POLL_MAX_EVENTS');
  for (;;) {
    const result = await pollDueFlows(db, {
      now: new Date(),
      budgetMs: 60_000,
      log: (m) => process.stderr.write(`${m}\n`),
      ...(pageSize ? { pageSize } : {}),
      ...(maxEvents ? { maxEvents } : {}),
    });
    if (result.runsCreated > 0 || result.replayed > 0) {
      process.stdout.write(`${JSON.stringify({ runsCreated: result.runsCreated, replayed: result.replayed })}\n`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`poller process failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}\n`);
  process.exit(1);
});
