import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { pickRendition, perPage } from '../../../plugins/media/providers/remote.js';
import { imageSize } from '../../../plugins/media/providers/openai-images.js';
import { photoUrl } from '../../../plugins/media/providers/pexels.js';
import { attributionText } from '../../../plugins/media/attribution.js';
import { readSettings, requireKey } from '../../../plugins/media/settings.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { checkMedia } from '../../../plugins/media/check.js';
import plugins, { namespace } from '../../../plugins/media/index.js';
import type { MediaFile } from '../../../plugins/media/types.js';
import { createHttpClient } from '../../../src/infra/http.js';
import { configSection } from 'mpv2/testing';

const target = { width: 1080, height: 1920 };

describe('media provider helpers', () => {
  it('picks the smallest rendition that covers the target, in its orientation', () => {
    const files = [{ width: 1920, height: 1080 }, { width: 720, height: 1280 }, { width: 1080, height: 1920 }, { width: 2160, height: 3840 }];
    expect(pickRendition(files, target)).toEqual({ width: 1080, height: 1920 });
    expect(pickRendition([{ width: 360, height: 640 }, { width: 720, height: 1280 }], target)).toEqual({ width: 720, height: 1280 });
    expect(pickRendition([{ width: 1920, height: 1080 }], target)).toEqual({ width: 1920, height: 1080 });
    expect(pickRendition([{ width: null, height: null, link: 'x' }], target)).toEqual({ width: null, height: null, link: 'x' });
  });

  it('asks Pexels for the original sized to cover the target', () => {
    const p = { id: 1, width: 4000, height: 6000, url: '', photographer: '', src: { original: 'https://images.pexels.com/photos/1/p.jpeg' } };
    // a 2:3 photo is wider than 9:16, so its height must reach 1920; a 1:3 one is narrower
    expect(photoUrl(p, target)).toBe('https://images.pexels.com/photos/1/p.jpeg?auto=compress&cs=tinysrgb&h=1920');
    expect(photoUrl({ ...p, width: 1000, height: 3000 }, target)).toBe('https://images.pexels.com/photos/1/p.jpeg?auto=compress&cs=tinysrgb&w=1080');
    expect(photoUrl({ ...p, width: 6000, height: 4000 }, target)).toBe('https://images.pexels.com/photos/1/p.jpeg?auto=compress&cs=tinysrgb&h=1920');
    expect(photoUrl({ ...p, src: { large2x: 'https://x/y.jpeg?w=940' } }, target)).toBe('https://x/y.jpeg?w=940');
  });

  it('chooses OpenAI sizes per model family', () => {
    expect(imageSize('gpt-image-1', '9:16')).toBe('1024x1536');
    expect(imageSize('dall-e-3', '16:9')).toBe('1792x1024');
    expect(imageSize('dall-e-2', '9:16')).toBe('1024x1024');
    expect(imageSize('flux', '1:1')).toBe('1024x1024');
    expect(imageSize('x', '9:16', '768x1344')).toBe('768x1344');
    expect(perPage(1, 5, 80)).toBe(5);
    expect(perPage(100, 5, 80)).toBe(80);
  });

  it('lists each author once in the attribution', () => {
    const f = (over: Partial<MediaFile>): MediaFile => ({ path: '/x', kind: 'image', width: 1, height: 1, source: 'pexels', author: 'A', url: '', license: '', query: 'q', ...over });
    expect(attributionText([f({}), f({}), f({ kind: 'video', author: 'B', authorUrl: 'https://b' }), f({ source: 'local', author: '' }), f({ source: 'pixabay', author: 'C' })])).toBe(
      'Photo by A on Pexels\nVideo by B on Pexels (https://b)\nPhoto by C on Pixabay',
    );
  });

  it('reads keys from secrets first, then the config', () => {
    expect(readSettings({ config: configSection(mediaConfigSchema, { pexels: { apiKey: 'cfg' } }), secrets: { PEXELS_API_KEY: 'env' } }).pexels.apiKey).toBe('env');
    expect(readSettings({ config: configSection(mediaConfigSchema, { pexels: { apiKey: 'cfg' } }), secrets: {} }).pexels.apiKey).toBe('cfg');
    const s = readSettings({ config: configSection(mediaConfigSchema), secrets: {} });
    expect(s.pexels.baseUrl).toBe('https://api.pexels.com');
    expect(() => requireKey(s, 'pixabay', 'pixabay')).toThrow(/needs an API key/);
  });

  it('has a valid config schema with secrets marked writeOnly, shared by the namespace', () => {
    const ajv = new Ajv({ strict: true, useDefaults: true });
    ajv.addFormat('path', true); // the engine's ajv knows `format: path` (files in the cache key)
    const cfg: Record<string, unknown> = { pexels: {} };
    expect(ajv.validate(mediaConfigSchema, cfg)).toBe(true);
    expect(cfg).toMatchObject({ maxInputPixels: 500_000_000, tries: 3, pexels: { baseUrl: 'https://api.pexels.com' } });
    const props = mediaConfigSchema.properties as unknown as Record<string, { properties: Record<string, { writeOnly?: boolean }> }>;
    expect(['pexels', 'pixabay', 'openai'].map((k) => props[k]!.properties.apiKey!.writeOnly)).toEqual([true, true, true]);
    expect(plugins.map((p) => p.id)).toEqual(['media.fetchImages']);
    // the namespace declares the one section its plugins share
    expect(namespace.config?.schema).toBe(mediaConfigSchema);
  });

  it('check() reports sharp and which providers have keys', async () => {
    const results = await checkMedia({ config: configSection(mediaConfigSchema), secrets: { PEXELS_API_KEY: 'k' }, root: '/', http: createHttpClient(), signal: new AbortController().signal });
    const by = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(by['media: sharp']!.message).toMatch(/^sharp \d+\.\d+\.\d+, libvips \d+/);
    expect(by['media: pexels']!.level).toBe('ok');
    expect(by['media: pixabay']!.level).toBe('warn');
    expect(by['media: openai-images']!.hint).toBe('set OPENAI_API_KEY');
    // generated stills carry no text, so there is no media font to check
    expect(by['media: generate font']).toBeUndefined();
  });
});
