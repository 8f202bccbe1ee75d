/** Small text helpers for the admin commands' plain output: tables, sizes, durations. */
import { relative, sep } from 'node:path';

/** `1536` → `1.5 KB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** `1234` → `1.2s`, `95000` → `1m35s`, `undefined` → `-`. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** An ISO time as `2026-11-27 16:14:55` (UTC), for tables. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/** A value on one line, cut to `max` characters. */
export function oneLine(v: unknown, max = 80): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Left-aligned columns with a header row; empty `rows` gives the header only. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Absolute paths under `root` in a value, shown relative to `cwd` (deeply). */
export function relativizePaths<T>(v: T, root: string, cwd: string): T {
  if (typeof v === 'string') return (v === root || v.startsWith(`${root}${sep}`) ? relative(cwd, v) || '.' : v) as T;
  if (Array.isArray(v)) return v.map((x) => relativizePaths(x, root, cwd)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, relativizePaths(x, root, cwd)])) as T;
  return v;
}
