import { describe, expect, it } from 'vitest';
import { accountPool, isNoAccount as isNoAccountConfigured, poolKey } from 'mpv2/plugin';

const normalizeSpec = (choice: Parameters<typeof accountPool>[1]) => accountPool('youtube', choice);
import { isoDurationSec, matches } from '../../../plugins/youtube/api/reconcile.js';
import { nextOffset } from '../../../plugins/youtube/api/resumable.js';
import { candidates, formatLocal, loadSelectors } from '../../../plugins/youtube/browser/selectors.js';
import { videoIdFromLink } from '../../../plugins/youtube/browser/studio.js';
import { readYoutubeConfig } from '../../../plugins/youtube/config.js';
import { namespace } from '../../../plugins/youtube/index.js';
import { createTestContext } from 'mpv2/testing';
import { mpv2Error } from '../../../src/errors.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('resumable protocol details', () => {
  it('reads the next offset from a 308 Range header', () => {
    expect(nextOffset('bytes=0-262143')).toBe(262144);
    expect(nextOffset(undefined)).toBe(0);
  });
  it('takes chunk sizes in 256 KiB multiples only (the config schema refuses others), 8 MiB by default', async () => {
    expect(() => createTestContext({ namespace, config: { chunkSize: 1_000_000 } })).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
    const t = createTestContext({ namespace, config: { apiBaseUrl: 'http://127.0.0.1:1/youtube/v3/' } });
    try {
      const cfg = readYoutubeConfig(t.context().config);
      expect(cfg.chunkSize).toBe(8 * 1024 * 1024);
      expect(cfg.apiBaseUrl).toBe('http://127.0.0.1:1/youtube/v3');
    } finally { await t.close(); }
  });
});

describe('reconciliation matching', () => {
  it('parses ISO 8601 durations', () => {
    expect(isoDurationSec('PT1M5.5S')).toBe(65.5);
    expect(isoDurationSec('P0D')).toBe(0);
    expect(isoDurationSec(undefined)).toBeUndefined();
  });
  it('matches by the content tag, else by title and a close duration', () => {
    const v = (title: string, tags: string[] = [], duration = 'PT30S') => ({ id: 'x', snippet: { title, tags }, contentDetails: { duration } });
    expect(matches(v('Other', ['mpv2-abc']), { title: 'T', hashTag: 'mpv2-abc' })).toBe(true);
    expect(matches(v('T'), { title: 'T', durationSec: 31 })).toBe(true);
    expect(matches(v('T'), { title: 'T', durationSec: 45 })).toBe(false);
    expect(matches(v('T', [], 'P0D'), { title: 'T', durationSec: 45 })).toBe(true);
    expect(matches(v('T2'), { title: 'T' })).toBe(false);
  });
});

describe('accounts', () => {
  it('the pool key ignores how the account is picked', () => {
    expect(poolKey(normalizeSpec(''))).toEqual(poolKey(normalizeSpec({ platform: 'youtube', pick: 'random' })));
    expect(poolKey(normalizeSpec('main'))).toBe('main');
    expect(poolKey({ platform: 'youtube', names: ['b', 'a'] })).toEqual(poolKey({ platform: 'youtube', names: ['a', 'b'] }));
  });
  it('skips only when the account was left empty and none exists', () => {
    const none = mpv2Error('E_ACCOUNT', 'no youtube account', { details: { reason: 'none' } });
    const capped = mpv2Error('E_ACCOUNT', 'all capped', { details: { reason: 'excluded' } });
    expect(isNoAccountConfigured(none, false)).toBe(true);
    expect(isNoAccountConfigured(none, true)).toBe(false);
    expect(isNoAccountConfigured(capped, false)).toBe(false);
    expect(isNoAccountConfigured(new Error('x'), false)).toBe(false);
  });
  it('tells account errors apart by details.reason, not by their words', () => {
    // an `account:` of the wrong shape is a mistake to report, not "no account configured"
    expect(isNoAccountConfigured(mpv2Error('E_ACCOUNT', 'an account is a name or { platform, … }, got 3', { details: { reason: 'invalid-spec' } }), false)).toBe(false);
    expect(isNoAccountConfigured(mpv2Error('E_ACCOUNT', 'an account is a name or { platform, … }, got 3'), false)).toBe(false);
  });
});

describe('Studio selectors', () => {
  it('fills {value} and keeps fallbacks in order', () => {
    const sel = loadSelectors();
    expect(candidates(sel, 'visibilityRadio', 'UNLISTED')[0]).toBe("tp-yt-paper-radio-button[name='UNLISTED']");
    expect(candidates(sel, 'fileInput').length).toBeGreaterThan(1);
  });
  it('a user file replaces single entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpv2-sel-'));
    const file = join(dir, 'sel.json');
    writeFileSync(file, JSON.stringify({ selectors: { nextButton: ['#continue'] } }));
    const sel = loadSelectors(file);
    expect(sel.selectors.nextButton).toEqual(['#continue']);
    expect(sel.selectors.doneButton).toEqual(loadSelectors().selectors.doneButton);
  });
  it('formats schedule dates and reads video ids from links', () => {
    const d = new Date(2031, 2, 4, 17, 5);
    expect(formatLocal(d, 'MMM D, YYYY')).toBe('Mar 4, 2031');
    expect(formatLocal(d, 'h:mm A')).toBe('5:05 PM');
    expect(formatLocal(new Date(2031, 0, 1, 0, 30), 'h:mm A')).toBe('12:30 AM');
    expect(videoIdFromLink('https://youtu.be/dQw4w9WgXcQ')).toBe('dQw4w9WgXcQ');
    expect(videoIdFromLink('https://studio.youtube.com/video/abc_DEF-123/edit')).toBe('abc_DEF-123');
    expect(videoIdFromLink('https://youtu.be/')).toBeUndefined();
  });
});
