/** Sizes in the config (`cache.maxSize: 2GB`) → bytes. Units are powers of 1024. */
import { mpv2Error } from '../errors.js';

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** `2GB`, `500 MB`, `1.5gb`, `1024` (bytes) or a number of bytes → bytes. */
export function parseSize(value: string | number, field = 'size'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?b)?\s*$/i.exec(value) : null;
  if (!m) throw mpv2Error('E_CONFIG_INVALID', `expected \`${field}\` to be a size such as 2GB or 500MB, got ${JSON.stringify(value)}`);
  return Math.floor(Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]!);
}
