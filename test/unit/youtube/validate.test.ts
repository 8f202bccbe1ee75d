import { describe, expect, it } from 'vitest';
import { checkDescription, checkPublishAt, checkTags, checkTitle, hashTagFor, tagsLength } from '../../../plugins/youtube/validate.js';
import { isMpv2Error } from '../../../src/errors.js';

const fails = (f: () => unknown, field: string) => {
  try { f(); } catch (e) {
    expect(isMpv2Error(e) && e.code).toBe('E_PLUGIN_INPUT_INVALID');
    expect((e as Error).message).toContain(`with.${field}`);
    return (e as Error).message;
  }
  throw new Error('expected a failure');
};

describe('YouTube limits', () => {
  it('title: 100 characters (not bytes), no angle brackets, trimmed', () => {
    expect(checkTitle('  ok  ')).toBe('ok');
    expect(checkTitle('é'.repeat(100))).toHaveLength(100);
    expect(checkTitle('🐙'.repeat(100))).toBe('🐙'.repeat(100));
    expect(fails(() => checkTitle('x'.repeat(101)), 'title')).toContain('101 characters');
    fails(() => checkTitle('a > b'), 'title');
    fails(() => checkTitle('   '), 'title');
  });

  it('description: 5000 bytes of UTF-8', () => {
    expect(checkDescription('a'.repeat(5000))).toHaveLength(5000);
    expect(fails(() => checkDescription('é'.repeat(2501)), 'description')).toContain('5002 bytes');
    fails(() => checkDescription('<b>'), 'description');
  });

  it('tags: 500 characters counting commas and quotes around tags with spaces', () => {
    expect(tagsLength(['ab', 'c d'])).toBe(2 + 1 + 3 + 2);
    expect(checkTags(['#octopus', 'octopus', ' sea ', ''])).toEqual(['octopus', 'sea']);
    const n = 50; // 50 tags of 9 chars: 450 + 49 commas = 499
    expect(checkTags(Array.from({ length: n }, (_, i) => `tag${String(i).padStart(6, '0')}`))).toHaveLength(n);
    fails(() => checkTags(Array.from({ length: n }, (_, i) => `tag ${String(i).padStart(5, '0')}`)), 'tags');
    fails(() => checkTags(['a,b']), 'tags');
  });

  it('publishAt: a future instant, only with private', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(checkPublishAt('2030-02-01T18:00:00+01:00', 'private', now)).toBe('2030-02-01T17:00:00.000Z');
    expect(checkPublishAt('', 'public', now)).toBeUndefined();
    fails(() => checkPublishAt('2029-12-31T00:00:00Z', 'private', now), 'publishAt');
    expect(fails(() => checkPublishAt('2030-02-01T00:00:00Z', 'unlisted', now), 'publishAt')).toContain('private');
    fails(() => checkPublishAt('next tuesday', 'private', now), 'publishAt');
  });

  it('the content-hash tag is added only when the tag budget has room', () => {
    expect(hashTagFor(['a'], 'abcdef0123456789')).toBe('mpv2-abcdef012345');
    const full = Array.from({ length: 49 }, (_, i) => `tag${String(i).padStart(6, '0')}`); // 490 chars
    expect(hashTagFor(full, 'abcdef0123456789')).toBeUndefined();
  });
});
