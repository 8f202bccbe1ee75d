import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { makeTestContext } from '../../helpers/context.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { fetchImages, validateOutput } from '../../fixtures/media/helpers.js';
import { startPexels } from '../../servers/images-pexels.js';
import type { TestServer } from '../../servers/images-common.js';
import { isMpv2Error } from '../../../src/errors.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const config = (s: TestServer) => ({ pexels: { baseUrl: s.url }, maxRetryDelayMs: 2000 });
const reds = async (path: string) => (await sharp(path).stats()).channels.map((c) => Math.round(c.mean));

describe('media.fetchImages provider: pexels', () => {
  it('searches with the key and orientation, crops to 1080x1920 and credits photographers', async () => {
    server = await startPexels({
      key: 'pk-1',
      photos: {
        ocean: [{ id: 1, photographer: 'Ana Lima', color: '#ff0000' }, { id: 2, photographer: 'Bo Chen', color: '#00ff00' }],
        city: [{ id: 3, photographer: 'Cy Diaz', color: '#0000ff' }],
      },
    });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'pk-1' } });
    const limits: string[] = [];
    const out = await fetchImages({ ...ctx, limit: (name, fn) => { limits.push(name); return fn(); } }, { provider: 'pexels', queries: ['ocean', 'city'] });
    expect(validateOutput(out)).toBe(true);
    expect(out.files.map((f) => [f.id, f.author, f.source, f.width, f.height])).toEqual([
      ['1', 'Ana Lima', 'pexels', 1080, 1920],
      ['3', 'Cy Diaz', 'pexels', 1080, 1920],
    ]);
    expect(out.files[0]!.url).toBe('https://www.pexels.com/photo/1/');
    expect(out.files[0]!.license).toMatch(/Pexels License/);
    expect(await reds(out.files[0]!.path)).toEqual([254, 0, 0]);
    const searches = server.requests.filter((r) => r.path === '/v1/search');
    expect(searches.every((r) => r.headers.authorization === 'pk-1' && r.query.orientation === 'portrait')).toBe(true);
    expect(out.attribution).toBe('Photo by Ana Lima on Pexels (https://www.pexels.com/@ana-lima)\nPhoto by Cy Diaz on Pexels (https://www.pexels.com/@cy-diaz)');
    // every search and download ran under the limit named after the provider
    expect(limits.length).toBe(server.requests.length);
    expect(new Set(limits)).toEqual(new Set(['pexels']));
  });

  it('downloads in parallel, never more than `concurrency` at once', async () => {
    const colors = ['#110000', '#220000', '#330000', '#440000', '#550000', '#660000'];
    server = await startPexels({ key: 'k', imageBatch: 2, photos: { sky: colors.map((color, i) => ({ id: i + 1, photographer: `P${i}`, color })) } });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'k' } });
    let inFlight = 0;
    let max = 0;
    const limit = async <T>(_name: string, fn: () => Promise<T>): Promise<T> => {
      max = Math.max(max, ++inFlight);
      try { return await fn(); } finally { inFlight--; }
    };
    const out = await fetchImages({ ...ctx, limit }, { provider: 'pexels', queries: 'sky', count: 6, concurrency: 2 });
    expect(out.files.map((f) => f.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(max).toBe(2);
  });

  it('uses the config key when PEXELS_API_KEY is not set; landscape for 16:9', async () => {
    server = await startPexels({ key: 'cfg-key', photos: { tree: [{ id: 5, photographer: 'E', color: '#123456' }] } });
    const out = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  config: { pexels: { baseUrl: server.url, apiKey: 'cfg-key' } } }), { provider: 'pexels', queries: 'tree', aspect: '16:9' });
    expect([out.files[0]!.width, out.files[0]!.height]).toEqual([1920, 1080]);
    expect(server.requests[0]!.query.orientation).toBe('landscape');
  });

  it('retries a 429 with Retry-After and a 500, on search and on download', async () => {
    server = await startPexels({
      key: 'k',
      searchScript: ['429', '500'],
      photos: { dog: [{ id: 1, photographer: 'A', color: '#aa0000', script: ['500', '429'] }] },
    });
    const out = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'k' } }), { provider: 'pexels', queries: 'dog' });
    expect(out.files.map((f) => f.id)).toEqual(['1']);
    expect(server.requests.filter((r) => r.path === '/v1/search').length).toBe(3);
    expect(server.requests.filter((r) => r.path === '/photos/1.png').length).toBe(3);
  });

  it('replaces an image whose URL always 404s with the next result, and drops duplicates', async () => {
    server = await startPexels({
      key: 'k',
      photos: {
        cat: [
          { id: 10, photographer: 'Gone', color: '#111111', script: ['404*'] },
          { id: 9, photographer: 'Expired', color: '#222222', script: ['403*'] }, // a refused CDN link is one bad file, not a bad key
          { id: 11, photographer: 'Dup A', color: '#00aa00' },
          { id: 11, photographer: 'Dup A', color: '#00aa00' }, // the same id twice
          { id: 12, photographer: 'Dup B', color: '#00aa00' }, // other id, same bytes
          { id: 13, photographer: 'Last', color: '#0000aa' },
        ],
      },
    });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'k' } });
    const out = await fetchImages(ctx, { provider: 'pexels', queries: 'cat', count: 2, concurrency: 1 });
    expect(out.files.map((f) => f.id)).toEqual(['11', '13']);
    expect(server.requests.filter((r) => r.path === '/photos/10.png').length).toBe(1); // a 404 is not retried
    expect(server.requests.filter((r) => r.path === '/photos/9.png').length).toBe(1);
    expect(ctx.logs.some((l) => l.level === 'warn' && /pexels image 10/.test(l.message) && /404/.test(l.message))).toBe(true);
    expect(out.attribution.split('\n')).toEqual(['Photo by Dup A on Pexels (https://www.pexels.com/@dup-a)', 'Photo by Last on Pexels (https://www.pexels.com/@last)']);
  });

  it('borrows from another query when one has no results, and fails clearly when none are left', async () => {
    server = await startPexels({ key: 'k', photos: { sun: [{ id: 1, photographer: 'A', color: '#ffaa00' }, { id: 2, photographer: 'B', color: '#ff00aa' }] } });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'k' } });
    const out = await fetchImages(ctx, { provider: 'pexels', queries: ['sun', 'xyzzy'] });
    expect(out.files.map((f) => [f.id, f.query])).toEqual([['1', 'sun'], ['2', 'xyzzy']]);
    const err = await fetchImages(ctx, { provider: 'pexels', queries: 'xyzzy' }).catch((e: unknown) => e);
    expect(isMpv2Error(err) && err.code).toBe('E_NOT_FOUND');
  });

  it('fails with E_MISSING_KEY and the hint without a key; E_AUTH for a wrong one', async () => {
    const err = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema }), { provider: 'pexels', queries: 'x' }).catch((e: unknown) => e);
    expect(isMpv2Error(err) && [err.code, err.hint]).toEqual(['E_MISSING_KEY', 'set PEXELS_API_KEY or use provider: generate']);
    server = await startPexels({ key: 'right', photos: {} });
    const auth = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'wrong' } }), { provider: 'pexels', queries: 'x' }).catch((e: unknown) => e);
    expect(isMpv2Error(auth) && auth.code).toBe('E_AUTH');
    expect(server.requests.length).toBe(1); // 401 is not retried
  });

  it('downloads clips for type: video, picks the rendition and probes it', async () => {
    server = await startPexels({
      key: 'k',
      photos: { surf: [{ id: 1, photographer: 'P', color: '#336699' }] },
      videos: {
        surf: [{ id: 77, user: 'Vid Maker', files: [{ width: 90, height: 160, quality: 'sd' }, { width: 160, height: 90, quality: 'sd' }, { width: 180, height: 320, quality: 'hd' }] }],
      },
    });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'k' } });
    const out = await fetchImages(ctx, { provider: 'pexels', queries: 'surf', type: 'video' });
    const f = out.files[0]!;
    expect([f.kind, f.width, f.height, f.id, f.author]).toEqual(['video', 180, 320, '77', 'Vid Maker']);
    expect(f.duration).toBeCloseTo(1, 1);
    expect(f.path.endsWith('.mp4')).toBe(true);
    expect(out.attribution).toContain('Video by Vid Maker on Pexels');
    const mixed = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  config: config(server), secrets: { PEXELS_API_KEY: 'k' } }), { provider: 'pexels', queries: 'surf', count: 2, type: 'mixed' });
    expect(mixed.files.map((x) => x.kind)).toEqual(['video', 'image']);
  });
});
