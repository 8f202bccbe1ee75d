/**
 * Cron patterns through croner: 5 fields, or 6 with seconds first; an IANA time zone;
 * DST handled by croner (a 02:30 fire on a spring-forward day runs once, not twice or never).
 */
import { Cron } from 'croner';
import { mpv2Error } from '../errors.js';

export interface CronSpec {
  cron: string;
  tz?: string;
}

function compile(spec: CronSpec): Cron {
  try {
    return new Cron(spec.cron, { timezone: spec.tz, paused: true });
  } catch (e) {
    throw mpv2Error('E_USAGE', `not a valid cron pattern${spec.tz ? ` with time zone ${spec.tz}` : ''}: ${JSON.stringify(spec.cron)} (${(e as Error).message})`, {
      cause: e,
      hint: 'five fields "minute hour day month weekday" (e.g. "0 9 * * *"), or six with seconds first; time zones by IANA name such as Europe/Berlin',
    });
  }
}

/** Throws E_USAGE naming the problem when the pattern or the zone is wrong. */
export function checkCron(spec: CronSpec): void {
  if (spec.tz) {
    try { new Intl.DateTimeFormat('en', { timeZone: spec.tz }); } catch {
      throw mpv2Error('E_USAGE', `unknown time zone ${JSON.stringify(spec.tz)}`, { hint: 'use an IANA name such as Europe/Berlin, America/New_York or UTC' });
    }
  }
  compile(spec);
}

/** The next `n` fire times after `from`. */
export function nextFires(spec: CronSpec, from: Date, n: number): Date[] {
  return compile(spec).nextRuns(n, from);
}

/**
 * Fire times in `(after, until]`, oldest first, at most `max` of them (the newest are kept:
 * a year of minutely fires after downtime is not worth enumerating).
 */
export function firesBetween(spec: CronSpec, after: Date, until: Date, max = 1000): Date[] {
  const c = compile(spec);
  const out: Date[] = [];
  let t: Date | null = c.nextRun(after);
  while (t && t.getTime() <= until.getTime()) {
    out.push(t);
    if (out.length > max) out.shift();
    t = c.nextRun(t);
  }
  return out;
}
