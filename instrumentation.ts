/**
 * Next calls `register` once when the server starts. In the Node.js runtime it starts the flow
 * runtime (run workers, triggers, history pruning — see lib/flows/runtime/start-runtime.ts), after
 * the database is open and migrated. A failure is logged and retried on the next start of the
 * process; the web app keeps serving (runs stay queued and are executed once a runtime is up).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ getDb }, { processRuntime }] = await Promise.all([import('./lib/db/database'), import('./lib/flows/runtime/start-runtime')]);
  try {
    const runtime = await processRuntime(getDb);
    if (runtime.config.RUNTIME !== 'off') console.error(`flow runtime: ${runtime.config.RUNTIME} (${runtime.workerId})`);
  } catch (err) {
    console.error(`flow runtime did not start: ${err instanceof Error ? err.message : 'unknown error'}`);
  }
}
