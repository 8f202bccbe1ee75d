import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/infra/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['2s', 2000], ['1.5s', 1500], ['5m', 300_000], ['1h', 3_600_000], ['1d', 86_400_000], ['2w', 1_209_600_000],
    ['250', 250], [' 3s ', 3000], [0, 0], [1234, 1234],
  ] as Array<[string | number, number]>)('%j → %d ms', (v, ms) => {
    expect(parseDuration(v)).toBe(ms);
  });

  it.each(['soon', '2 days', '-1s', '1y', '', 's'])('rejects %j and names the field', (v) => {
    expect(() => parseDuration(v, 'timeout')).toThrow(/`timeout`.*duration/);
  });

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-5)).toThrow();
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow();
  });
});

describe('formatDuration', () => {
  it.each([[12, '12ms'], [1200, '1.2s'], [64_000, '1m 4s'], [7_500_000, '2h 5m']])('%d → %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });
});
