import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '@/lib/db/database';
import type { PgBossRunQueue } from './pg-boss-queue';
import { RUN_CHANGED, RUNS_ENQUEUED } from './pg-channels';
import { notifyRunChangedLocally, setRunChangeBroadcast } from './run-signals';

export { RUN_CHANGED, RUNS_ENQUEUED } from './pg-channels';

const MAX_RUN_ID = 200;
const LOG_EVERY_MS = 10_000;

export interface PgListenerOptions {
  /** The `postgres://` URL of the database (the one DATABASE_URL names). */
  url: string;
  /** Channel → what to do with a notification's payload. */
  channels: Record<string, (payload: string) => void>;
  /** After every (re)connect that LISTENs: notifications sent while deaf are lost, so catch up. */
  onListening?: () => void;
  log?: (message: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface PgListener {
  /** The backend pid of the LISTEN connection, while it is up (for diagnostics and tests). */
  readonly backendPid: number | undefined;
  close(): Promise<void>;
}

/**
 * One dedicated connection (LISTEN is per session, so not a pooled one) that LISTENs on
 * `channels` and, when it drops, reconnects with exponential backoff. Resolves after the first
 * attempt, connected or not (a failed one is retried in the background: the polls cover meanwhile).
 */
export async function startPgListener(opts: PgListenerOptions): Promise<PgListener> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const minMs = opts.minBackoffMs ?? 100;
  const maxMs = opts.maxBackoffMs ?? 5_000;
  const channels = Object.keys(opts.channels);
  for (const c of channels) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`not a channel name: ${c}`);

  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (closed || timer) return;
    const delay = Math.min(maxMs, minMs * 2 ** failures) * (0.75 + Math.random() / 2);
    failures += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: opts.url, keepAlive: true, connectionTimeoutMillis: 10_000 });
    // Without an 'error' listener a dropped connection would crash the process; the 'end' that
    // follows it is what reconnects. The URL (password) is never logged: only the error's name.
    c.on('error', (err: Error) => log(`pg-notify: LISTEN connection: ${nameOf(err)}; reconnecting`));
    c.on('end', () => {
      if (client !== c) return;
      client = undefined;
      reconnectLater();
    });
    c.on('notification', (msg) => {
      const handler = opts.channels[msg.channel];
      if (!handler) return;
      try {
        handler(msg.payload ?? '');
      } catch (err) {
        log(`pg-notify: ${msg.channel} handler: ${nameOf(err)}`);
      }
    });
    try {
      await c.connect();
      for (const channel of channels) await c.query(`LISTEN ${channel}`);
    } catch (err) {
      log(`pg-notify: cannot LISTEN: ${nameOf(err)}; retrying`);
      await c.end().catch(() => {});
      reconnectLater();
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    failures = 0;
    opts.onListening?.();
  };

  await connect();
  return {
    get backendPid() {
      return (client as (pg.Client & { processID?: number }) | undefined)?.processID;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

/**
 * The run-change broadcast: collects the run ids reported within one turn of the event loop and
 * sends them in one statement on the pool (a run saves several times in quick succession).
 * Fire-and-forget: a failure is logged by name, at most every 10 s, and never reaches the caller.
 */
export function runChangeBroadcaster(db: Db, log: (m: string) => void): { send(runId: string): void; flush(): Promise<void> } {
  const pending = new Set<string>();
  const inflight = new Set<Promise<void>>();
  let scheduled = false;
  let lastLog = 0;

  const sendPending = () => {
    scheduled = false;
    if (pending.size === 0) return;
    const ids = [...pending];
    pending.clear();
    const p: Promise<void> = sql`SELECT pg_notify(${RUN_CHANGED}, id) FROM unnest(${ids}::text[]) AS t(id)`
      .execute(db.db)
      .then(
        () => {},
        (err: unknown) => {
          if (Date.now() - lastLog < LOG_EVERY_MS) return;
          lastLog = Date.now();
          log(`pg-notify: sending run changes failed: ${nameOf(err)}`);
        },
      )
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  return {
    send(runId) {
      if (runId.length === 0 || runId.length > MAX_RUN_ID) return;
      pending.add(runId);
      if (scheduled) return;
      scheduled = true;
      setImmediate(sendPending);
    },
    async flush() {
      sendPending();
      await Promise.allSettled([...inflight]);
    },
  };
}

export interface RunNotifications {
  readonly listener: PgListener;
  /** Removes the broadcast, sends what is pending, closes the LISTEN connection. */
  stop(): Promise<void>;
}

/**
 * Wires this process into the news: enqueues elsewhere wake `queue`'s local consumer; changes
 * saved elsewhere reach this process's waiters; changes saved here are broadcast. This process
 * hears its own notifications too: they are told locally again (a harmless duplicate, and never
 * broadcast again, see notifyRunChangedLocally).
 */
export async function startRunNotifications(
  db: Db,
  opts: { url: string; queue: PgBossRunQueue; log: (m: string) => void },
): Promise<RunNotifications> {
  const sender = runChangeBroadcaster(db, opts.log);
  const removeBroadcast = setRunChangeBroadcast(sender.send);
  const listener = await startPgListener({
    url: opts.url,
    log: opts.log,
    channels: {
      [RUNS_ENQUEUED]: () => opts.queue.wake(),
      [RUN_CHANGED]: (runId) => {
        if (runId.length > 0 && runId.length <= MAX_RUN_ID) notifyRunChangedLocally(runId);
      },
    },
    // Jobs announced while the connection was down would otherwise wait for the next poll.
    onListening: () => opts.queue.wake(),
  });
  return {
    listener,
    async stop() {
      removeBroadcast();
      await sender.flush();
      await listener.close();
    },
  };
}

function nameOf(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.name} ${code}` : err.name;
}
