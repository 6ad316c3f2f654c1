import { z } from 'zod';
import { DEFAULT_RUN_HISTORY_DAYS } from './prune-history';

/**
 * The runtime's settings from the environment, checked once at start-up (a wrong value stops the
 * start with its name, rather than running with a surprise):
 * - `RUNTIME` — `embedded` (default: this process executes runs and owns triggers), `worker`
 *   (`npm run worker`), `web` (serves requests only; runs are executed by workers), `off`.
 * - `QUEUE` — `embedded` (default; the runs table is the queue) or `pg-boss` (needs `DATABASE_URL`).
 * - `RUN_WORKERS` — runs executed at once by this process (default 16).
 * - `RUN_LEASE_MS` — how long a worker's claim on a run lasts without renewal (default 30 s): a run
 *   whose worker died is resumed after at most this.
 * - `RUN_HISTORY_DAYS` — how long ended runs are kept (default 30).
 * - `API_TRIGGER_WAIT_MS` — how long an API trigger waits for the Response step before answering
 *   202 with the run id (default 30 s).
 */
const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback);

const schema = z.object({
  RUNTIME: z.enum(['embedded', 'worker', 'web', 'off']).default('embedded'),
  QUEUE: z.enum(['embedded', 'pg-boss']).default('embedded'),
  RUN_WORKERS: int(1, 256, 16),
  RUN_LEASE_MS: int(1_000, 3_600_000, 30_000),
  RUN_HISTORY_DAYS: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'a positive number of days')
    .transform(Number)
    .pipe(z.number().positive())
    .optional()
    .transform((v) => v ?? DEFAULT_RUN_HISTORY_DAYS),
  API_TRIGGER_WAIT_MS: int(0, 600_000, 30_000),
});

export type RuntimeConfig = z.infer<typeof schema>;

export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
}

export function runtimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuntimeConfigError(`${String(issue.path[0])} is not valid: ${issue.message}`);
  }
  if (parsed.data.QUEUE === 'pg-boss' && !env.DATABASE_URL?.trim()) {
    throw new RuntimeConfigError('QUEUE=pg-boss needs DATABASE_URL (a PostgreSQL database shared by the web server and the workers).');
  }
  return parsed.data;
}
