/** Post text: graphemes as Bluesky counts them, and facets at UTF-8 byte offsets. */
import { describe, expect, it } from 'vitest';
import { checkText, detectFacets, graphemes, resolveMentions } from '../../../plugins/bluesky/text.js';

/** The text a facet covers, cut by UTF-8 bytes as a reader of the record would. */
const cover = (text: string, f: { index: { byteStart: number; byteEnd: number } }) => Buffer.from(text, 'utf8').subarray(f.index.byteStart, f.index.byteEnd).toString('utf8');

describe('graphemes', () => {
  it('counts what a reader sees as one character as one', async () => {
    expect(await graphemes('abc')).toBe(3);
    expect(await graphemes('👩‍👩‍👧‍👦')).toBe(1); // a ZWJ family: 7 code points, 25 bytes
    expect(await graphemes('🇧🇷🇯🇵')).toBe(2); // two flags
    expect(await graphemes('é')).toBe(1); // e + combining acute
    expect(await graphemes('日本語')).toBe(3);
  });

  it('300 graphemes pass; 301 fail naming the field, even when 300 emoji are 1200+ bytes', async () => {
    await expect(checkText('👍'.repeat(300))).resolves.toBeUndefined();
    await expect(checkText('a'.repeat(301))).rejects.toThrow(/301 graphemes/);
    let err: unknown;
    try { await checkText('🇧🇷'.repeat(301)); } catch (e) { err = e; }
    expect(err).toMatchObject({ pluginCode: 'bluesky/INPUT', details: { field: 'text' } });
  });
});

describe('facets', () => {
  it('links, tags and mentions after emoji and CJK sit at UTF-8 byte offsets', async () => {
    const text = '日本語 🎉 see https://example.org/a?b=1 #ショート and @alice.test 👩‍👩‍👧 #mpv2';
    const facets = await detectFacets(text);
    const kinds = facets.map((f) => [f.features[0]!.$type.split('#')[1], cover(text, f)]);
    expect(kinds).toEqual([
      ['link', 'https://example.org/a?b=1'],
      ['tag', '#ショート'],
      ['mention', '@alice.test'],
      ['tag', '#mpv2'],
    ]);
    const link = facets[0]!;
    // 日本語 is 9 bytes, the space 1, 🎉 4, " see " 5
    expect(link.index.byteStart).toBe(9 + 1 + 4 + 5);
    expect(link.features[0]).toMatchObject({ uri: 'https://example.org/a?b=1' });
    expect(facets[1]!.features[0]).toMatchObject({ tag: 'ショート' });
  });

  it('resolved mentions carry the DID; unresolved ones are left as text', async () => {
    const text = '@alice.test and @ghost.test';
    const { facets, unresolved } = await resolveMentions(await detectFacets(text), async (h) => (h === 'alice.test' ? 'did:plc:alice' : undefined));
    expect(facets).toMatchObject([{ index: { byteStart: 0, byteEnd: 11 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:alice' }] }]);
    expect(unresolved).toEqual(['ghost.test']);
  });
});
