import { afterEach, describe, expect, it } from 'vitest';
import { makeTestContext } from '../../helpers/context.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { fetchImages, validateOutput } from '../../fixtures/media/helpers.js';
import { startPixabay } from '../../servers/images-pixabay.js';
import type { TestServer } from '../../servers/images-common.js';
import { isMpv2Error } from '../../../src/errors.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const ctxFor = (s: TestServer, key = 'px-key') => makeTestContext({ configSchema: mediaConfigSchema,  config: { pixabay: { baseUrl: s.url }, maxRetryDelayMs: 2000 }, secrets: { PIXABAY_API_KEY: key } });

describe('media.fetchImages provider: pixabay', () => {
  it('searches /api/ with key, q and orientation, and credits uploaders', async () => {
    server = await startPixabay({ key: 'px-key', hits: { 'red fox': [{ id: 100, user: 'foxfan', color: '#cc4400' }, { id: 101, user: 'woods', color: '#225522' }] } });
    const out = await fetchImages(ctxFor(server), { provider: 'pixabay', queries: 'red fox', count: 2, aspect: '1:1' });
    expect(validateOutput(out)).toBe(true);
    expect(out.files.map((f) => [f.id, f.author, f.width, f.height, f.url])).toEqual([
      ['100', 'foxfan', 1080, 1080, 'https://pixabay.com/photos/100/'],
      ['101', 'woods', 1080, 1080, 'https://pixabay.com/photos/101/'],
    ]);
    const search = server.requests.find((r) => r.path === '/api/')!;
    expect([search.query.key, search.query.q, search.query.orientation, search.query.image_type, search.query.safesearch]).toEqual(['px-key', 'red fox', 'all', 'photo', 'true']);
    expect(out.attribution).toBe('Photo by foxfan on Pixabay (https://pixabay.com/users/foxfan-700/)\nPhoto by woods on Pixabay (https://pixabay.com/users/woods-707/)');
  });

  it('retries 429 and 500, replaces a 404 image, drops duplicate bytes', async () => {
    server = await startPixabay({
      key: 'px-key',
      searchScript: ['500'],
      hits: {
        owl: [
          { id: 1, user: 'a', color: '#101010', script: ['404*'] },
          { id: 2, user: 'b', color: '#707070', script: ['429'] },
          { id: 3, user: 'c', color: '#707070' },
          { id: 4, user: 'd', color: '#a0a0ff' },
        ],
      },
    });
    const out = await fetchImages(ctxFor(server), { provider: 'pixabay', queries: 'owl', count: 2, concurrency: 1 });
    expect(out.files.map((f) => f.id)).toEqual(['2', '4']);
    expect(server.requests.filter((r) => r.path === '/get/2.png').length).toBe(2);
    expect(server.requests.filter((r) => r.path === '/api/').length).toBe(2);
  });

  it('turns the 400 "Invalid or missing API key" into E_AUTH; no key is E_MISSING_KEY', async () => {
    server = await startPixabay({ key: 'right', hits: {} });
    const err = await fetchImages(ctxFor(server, 'wrong'), { provider: 'pixabay', queries: 'x' }).catch((e: unknown) => e);
    expect(isMpv2Error(err) && err.code).toBe('E_AUTH');
    const none = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema }), { provider: 'pixabay', queries: 'x' }).catch((e: unknown) => e);
    expect(isMpv2Error(none) && [none.code, none.hint]).toEqual(['E_MISSING_KEY', 'set PIXABAY_API_KEY or use provider: generate']);
  });

  it('another 400 is not taken for a bad key, even when the query says "key" (monkey)', async () => {
    server = await startPixabay({ key: 'px-key', hits: {}, searchScript: ['400'] });
    const err = await fetchImages(ctxFor(server), { provider: 'pixabay', queries: 'monkey', count: 1 }).catch((e: unknown) => e);
    expect(isMpv2Error(err) && [err.code, err.status]).toEqual(['E_HTTP', 400]);
  });

  it('downloads clips from /api/videos/, preferring the target orientation', async () => {
    server = await startPixabay({
      key: 'px-key',
      hits: {},
      videos: {
        rain: [
          { id: 9, user: 'wide', sizes: { large: [320, 180], medium: [256, 144], small: [192, 108], tiny: [128, 72] } },
          { id: 8, user: 'tall', sizes: { large: [180, 320], medium: [144, 256], small: [108, 192], tiny: [72, 128] } },
        ],
      },
    });
    const out = await fetchImages(ctxFor(server), { provider: 'pixabay', queries: 'rain', type: 'video' });
    const f = out.files[0]!;
    expect([f.kind, f.id, f.width, f.height, f.author]).toEqual(['video', '8', 180, 320, 'tall']);
    expect(f.duration).toBeGreaterThan(0.5);
    expect(out.attribution).toBe('Video by tall on Pixabay (https://pixabay.com/users/tall-56/)');
  });
});
