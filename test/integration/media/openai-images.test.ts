import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { makeTestContext } from '../../helpers/context.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { fetchImages } from '../../fixtures/media/helpers.js';
import { startOpenAiImages } from '../../servers/images-openai.js';
import type { TestServer } from '../../servers/images-common.js';
import { isMpv2Error } from '../../../src/errors.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const ctxFor = (s: TestServer, openai: Record<string, unknown> = {}) =>
  makeTestContext({ configSchema: mediaConfigSchema,  config: { openai: { baseUrl: `${s.url}/v1`, ...openai }, maxRetryDelayMs: 2000 }, secrets: { OPENAI_API_KEY: 'sk-test' } });

describe('media.fetchImages provider: openai-images', () => {
  it('generates from b64_json answers, one request per image, with the prompt and size', async () => {
    server = await startOpenAiImages({ key: 'sk-test' });
    const out = await fetchImages(ctxFor(server), { provider: 'openai-images', queries: ['a lighthouse', 'a forest'] });
    expect(out.files.map((f) => [f.source, f.width, f.height, f.author])).toEqual([
      ['openai-images', 1080, 1920, 'gpt-image-1'],
      ['openai-images', 1080, 1920, 'gpt-image-1'],
    ]);
    const posts = server.requests.filter((r) => r.path === '/v1/images/generations');
    expect(posts).toHaveLength(2);
    const bodies = posts.map((p) => p.body as Record<string, unknown>);
    expect(bodies.map((b) => [b.model, b.size, b.n, b.response_format])).toEqual([['gpt-image-1', '1024x1536', 1, undefined], ['gpt-image-1', '1024x1536', 1, undefined]]);
    expect(bodies.map((b) => String(b.prompt).split('.')[0]).sort()).toEqual(['a forest', 'a lighthouse']);
    expect(posts[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(out.attribution).toBe('Images generated with gpt-image-1');
  });

  it('downloads url answers (dall-e-3 sizes) and retries 429 then 500', async () => {
    server = await startOpenAiImages({ key: 'sk-test', script: ['429', '500'], colors: ['#ff0000'] });
    const out = await fetchImages(ctxFor(server, { model: 'dall-e-3', responseFormat: 'url' }), { provider: 'openai-images', queries: 'sunrise', aspect: '16:9' });
    expect([out.files[0]!.width, out.files[0]!.height]).toEqual([1920, 1080]);
    const posts = server.requests.filter((r) => r.path === '/v1/images/generations');
    expect(posts).toHaveLength(3);
    expect((posts[2]!.body as Record<string, unknown>).size).toBe('1792x1024');
    expect(server.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(1);
    expect((await sharp(out.files[0]!.path).stats()).channels[0]!.mean).toBeGreaterThan(240);
  });

  it('replaces an image whose url always 404s with a new generation', async () => {
    server = await startOpenAiImages({ key: 'sk-test', fileScript: ['404', '404', '404'], colors: ['#00ff00', '#0000ff'] });
    const ctx = ctxFor(server, { responseFormat: 'url' });
    const err = await fetchImages(ctx, { provider: 'openai-images', queries: 'x' }).catch((e: unknown) => e);
    // three generations, three 404s: the slot cannot be filled and says so
    expect(isMpv2Error(err) && err.code).toBe('E_NOT_FOUND');
    await server.close();
    server = await startOpenAiImages({ key: 'sk-test', fileScript: ['404'], colors: ['#00ff00', '#0000ff'] });
    const out = await fetchImages(ctxFor(server, { responseFormat: 'url' }), { provider: 'openai-images', queries: 'x' });
    expect(out.files).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === '/v1/images/generations')).toHaveLength(2);
  });

  it('fails with E_MISSING_KEY without a key, E_AUTH with a wrong one, and refuses type: video', async () => {
    const none = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema }), { provider: 'openai-images', queries: 'x' }).catch((e: unknown) => e);
    expect(isMpv2Error(none) && [none.code, none.hint]).toEqual(['E_MISSING_KEY', 'set OPENAI_API_KEY or use provider: generate']);
    server = await startOpenAiImages({ key: 'other' });
    const auth = await fetchImages(ctxFor(server), { provider: 'openai-images', queries: 'x' }).catch((e: unknown) => e);
    expect(isMpv2Error(auth) && auth.code).toBe('E_AUTH');
    const video = await fetchImages(ctxFor(server), { provider: 'openai-images', queries: 'x', type: 'video' }).catch((e: unknown) => e);
    expect(isMpv2Error(video) && video.code).toBe('E_INPUT_INVALID');
  });
});
