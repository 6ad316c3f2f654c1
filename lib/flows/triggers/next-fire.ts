import { Cron } from 'croner';

/** A Scheduler trigger's inputs (node-kinds.ts `scheduler.schedule`). */
export type ScheduleConfig = { mode: 'interval'; everySeconds: number } | { mode: 'cron'; cron: string; timeZone: string };

/**
 * The first fire strictly after `from`. Interval: `from + everySeconds` (the caller passes the
 * previous scheduled fire, so the interval does not drift). Cron: croner in the IANA time zone, which
 * handles DST (a wall-clock time skipped by a spring-forward runs once at the next valid time; one
 * repeated by a fall-back runs once). Null when the cron expression has no future fire.
 * @example nextFireAt({ mode: 'cron', cron: '30 2 * * *', timeZone: 'Europe/Paris' }, new Date())
 */
export function nextFireAt(config: ScheduleConfig, from: Date): Date | null {
  if (config.mode === 'interval') return new Date(from.getTime() + config.everySeconds * 1000);
  return new Cron(config.cron, { timezone: config.timeZone, paused: true }).nextRun(from);
}

/**
 * After downtime several fires may have been missed: they collapse into ONE run (for the latest
 * missed fire), and the next fire is the first one after `now`.
 */
export function collapseMissed(config: ScheduleConfig, due: Date, now: Date): { scheduledFor: Date; next: Date | null } {
  let scheduledFor = due;
  let next = nextFireAt(config, due);
  while (next !== null && next.getTime() <= now.getTime()) {
    scheduledFor = next;
    next = nextFireAt(config, next);
  }
  return { scheduledFor, next };
}
