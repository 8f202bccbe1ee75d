/**
 * Studio selectors, with fallbacks, from one data file (selectors.json) plus an optional
 * user file (`youtube.selectorsFile`) whose entries replace the built-in ones.
 */
import { readFileSync } from 'node:fs';
import { mpv2Error } from 'mpv2/plugin';
import builtin from './selectors.json' with { type: 'json' };

export type SelectorKey = keyof typeof builtin.selectors;

export interface StudioSelectors {
  loginUrlPatterns: string[];
  values: { visibility: Record<string, string>; madeForKids: Record<string, string>; alteredContent: Record<string, string> };
  uploadDoneText: string[];
  scheduleDateFormat: string;
  scheduleTimeFormat: string;
  selectors: Record<SelectorKey, string[]>;
}

/** The built-in selectors, with `overrideFile`'s entries (any subset) replacing them. */
export function loadSelectors(overrideFile?: string): StudioSelectors {
  const base = structuredClone(builtin) as StudioSelectors;
  if (!overrideFile) return base;
  let extra: Partial<StudioSelectors>;
  try {
    extra = JSON.parse(readFileSync(overrideFile, 'utf8')) as Partial<StudioSelectors>;
  } catch (e) {
    throw mpv2Error('E_CONFIG_INVALID', `youtube.selectorsFile ${overrideFile} cannot be read as JSON: ${(e as Error).message}`, { cause: e });
  }
  return {
    ...base,
    ...extra,
    values: { ...base.values, ...(extra.values ?? {}) },
    selectors: { ...base.selectors, ...(extra.selectors ?? {}) },
  };
}

/** The CSS candidates for a key, with `{value}` filled in. */
export function candidates(sel: StudioSelectors, key: SelectorKey, value?: string): string[] {
  return (sel.selectors[key] ?? []).map((s) => (value === undefined ? s : s.replaceAll('{value}', value)));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A tiny formatter for Studio's date and time boxes (MMM D YYYY MM DD h hh H HH mm A), local time. */
export function formatLocal(date: Date, pattern: string): string {
  const h = date.getHours();
  const tokens: Record<string, string> = {
    YYYY: String(date.getFullYear()),
    MMM: MONTHS[date.getMonth()]!,
    MM: String(date.getMonth() + 1).padStart(2, '0'),
    DD: String(date.getDate()).padStart(2, '0'),
    D: String(date.getDate()),
    HH: String(h).padStart(2, '0'),
    H: String(h),
    hh: String(h % 12 || 12).padStart(2, '0'),
    h: String(h % 12 || 12),
    mm: String(date.getMinutes()).padStart(2, '0'),
    A: h < 12 ? 'AM' : 'PM',
  };
  return pattern.replace(/YYYY|MMM|MM|DD|D|HH|H|hh|h|mm|A/g, (t) => tokens[t]!);
}
