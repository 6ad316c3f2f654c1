/**
 * The PostgreSQL NOTIFY channels of the scale-out runtime (pg-notify.ts listens, the pg-boss queue
 * and the run-change broadcast send): their own module so sender and listener share the names
 * without depending on each other.
 */
/** A run was enqueued (sent in the enqueueing transaction): consumers fetch at once. */
export const RUNS_ENQUEUED = 'dfd_runs_enqueued';
/** A run's row changed; the payload is its id: waiters in other processes re-read it. */
export const RUN_CHANGED = 'dfd_run_changed';
