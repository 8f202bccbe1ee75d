/**
 * formatDate(date?, pattern='YYYY-MM-DD'), always in UTC. Without a date, or with 'now',
 * it formats the run's start time (`run.startedAt`) when the scope has one, so a resumed
 * or cached run sees the same date; otherwise the current time.
 */
import { fail, optStr } from './args.js';
import type { FnDef, Scope } from './types.js';
import { readMember } from './values.js';

const TOKENS = /\[([^\]]*)]|YYYY|MM|DD|HH|mm|ss/g;

function toDate(v: unknown): Date | undefined {
  const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

function now(scope: Scope): Date {
  return toDate(readMember(scope.run, 'startedAt')) ?? new Date();
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatUtc(d: Date, pattern: string): string {
  return pattern.replace(TOKENS, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY': return pad(d.getUTCFullYear(), 4);
      case 'MM': return pad(d.getUTCMonth() + 1);
      case 'DD': return pad(d.getUTCDate());
      case 'HH': return pad(d.getUTCHours());
      case 'mm': return pad(d.getUTCMinutes());
      default: return pad(d.getUTCSeconds());
    }
  });
}

export const DATE_FUNCTIONS: Record<string, FnDef> = {
  formatDate: {
    signature: "formatDate(date='now', pattern='YYYY-MM-DD')", min: 0, max: 2,
    run(a, scope) {
      const given = a[0];
      const date = a.length === 0 || given === 'now' ? now(scope) : toDate(given);
      if (!date) return fail('formatDate', 0, "a date (ISO text, milliseconds or 'now')", given);
      return formatUtc(date, optStr('formatDate', a, 1, 'YYYY-MM-DD'));
    },
  },
};
