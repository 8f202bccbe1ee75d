import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { makeTestContext } from '../../helpers/context.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { fetchImages, tinyPng, writeHugePng } from '../../fixtures/media/helpers.js';
import { isMpv2Error } from '../../../src/errors.js';
import { tinyMp4 } from '../../servers/images-common.js';

async function project(files: Record<string, Buffer | string>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-media-'));
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), data);
  }
  return root;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    if (isMpv2Error(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

/** The mean colour of an output, to tell which input it came from. */
async function meanRed(path: string): Promise<number> {
  return (await sharp(path).stats()).channels[0]!.mean;
}

describe('media.fetchImages provider: local', () => {
  let imgs: Record<string, Buffer>;
  beforeAll(async () => {
    imgs = {
      'pics/red-sunset-beach.png': await tinyPng(300, 200, '#ff0000'),
      'pics/green-forest.jpg': await sharp(await tinyPng(200, 300, '#00ff00')).jpeg().toBuffer(),
      'pics/blue_ocean_waves.webp': await sharp(await tinyPng(240, 240, '#0000ff')).webp().toBuffer(),
      'pics/cats/tabby.png': await tinyPng(320, 480, '#ffff00'),
    };
  });

  it('picks the file whose name matches the query words', async () => {
    const root = await project(imgs);
    const out = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'pics', queries: ['deep forest', 'ocean waves', 'sunset'] });
    expect(out.files.map((f) => f.id)).toEqual(['pics/green-forest.jpg', 'pics/blue_ocean_waves.webp', 'pics/red-sunset-beach.png']);
    for (const f of out.files) {
      const m = await sharp(f.path).metadata();
      expect([m.width, m.height]).toEqual([1080, 1920]);
    }
    expect(await meanRed(out.files[2]!.path)).toBeGreaterThan(100);
  });

  it('matches folder names through a glob, and falls back to a seeded choice', async () => {
    const root = await project(imgs);
    const out = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'pics/**/*.{png,jpg}', queries: ['cat', 'quantum physics'], seed: 7 });
    expect(out.files[0]!.id).toBe('pics/cats/tabby.png');
    expect(['pics/red-sunset-beach.png', 'pics/green-forest.jpg']).toContain(out.files[1]!.id);
    const again = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'pics/**/*.{png,jpg}', queries: ['cat', 'quantum physics'], seed: 7 });
    expect(again.files.map((f) => f.id)).toEqual(out.files.map((f) => f.id));
    // other seeds spread over both unmatched files
    const picks = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const o = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'pics', queries: 'zzz', seed, aspect: '1:1' });
      picks.add(o.files[0]!.id!);
    }
    expect(picks.size).toBeGreaterThan(1);
  });

  it('skips a corrupt file with a warning and uses the next one', async () => {
    const root = await project({ 'p/forest-broken.jpg': Buffer.from('not a jpeg at all'), 'p/forest-good.png': imgs['pics/green-forest.jpg']!, 'p/other.png': imgs['pics/red-sunset-beach.png']! });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  root });
    const out = await fetchImages(ctx, { provider: 'local', path: 'p', queries: ['forest', 'forest'], seed: 1 });
    expect(out.files).toHaveLength(2);
    expect(out.files.map((f) => f.id).sort()).toEqual(['p/forest-good.png', 'p/other.png']);
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('forest-broken.jpg'))).toBe(true);
  });

  it('fails with E_INPUT_INVALID when no usable image is left', async () => {
    const root = await project({ 'p/a.jpg': Buffer.from('garbage'), 'p/b.png': Buffer.from('\x89PNG broken') });
    const err = await failure(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'p', queries: 'x' }));
    expect(err.code).toBe('E_INPUT_INVALID');
    expect(err.message).toContain('no usable image');
  });

  it('refuses a folder with no images, a missing folder and no path', async () => {
    const root = await project({ 'docs/readme.txt': 'hello' });
    expect((await failure(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'docs', queries: 'x' }))).code).toBe('E_INPUT_INVALID');
    expect((await failure(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'nope', queries: 'x' }))).code).toBe('E_INPUT_INVALID');
    expect((await failure(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', queries: 'x' }))).code).toBe('E_INPUT_INVALID');
  });

  it('refuses paths outside the project, and symlinks that lead out', async () => {
    const outside = await project({ 'secret.png': imgs['pics/cats/tabby.png']! });
    const root = await project({ 'p/ok.png': imgs['pics/cats/tabby.png']! });
    expect((await failure(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: '../', queries: 'x' }))).code).toBe('E_PATH_OUTSIDE_ROOT');
    expect((await failure(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: outside, queries: 'x' }))).code).toBe('E_PATH_OUTSIDE_ROOT');
    symlinkSync(join(outside, 'secret.png'), join(root, 'p', 'secret-link.png'));
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  root });
    const out = await fetchImages(ctx, { provider: 'local', path: 'p', queries: ['secret', 'secret'] });
    expect(out.files.every((f) => f.id === 'p/ok.png')).toBe(true);
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('secret-link.png'))).toBe(true);
  });

  it('never takes images from node_modules/ or .mpv2/, nor a symlink to a reserved file; the project root lists quietly', async () => {
    const root = await project({
      'package.json': '{}', '.env': 'KEY=1', 'sunset.png': imgs['pics/red-sunset-beach.png']!,
      'node_modules/pkg/sunset-pkg.png': imgs['pics/green-forest.jpg']!, '.mpv2/cache/sunset-blob.png': imgs['pics/green-forest.jpg']!,
    });
    symlinkSync(join(root, 'node_modules/pkg/sunset-pkg.png'), join(root, 'sunset-link.png'));
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  root });
    const out = await fetchImages(ctx, { provider: 'local', path: '**/*.png', queries: ['sunset', 'sunset', 'sunset'] });
    expect(new Set(out.files.map((f) => f.id))).toEqual(new Set(['sunset.png']));
    expect(ctx.logs.filter((l) => l.level === 'warn' && l.message.includes('skipped')).map((l) => l.message)).toEqual([expect.stringMatching(/sunset-link\.png.*E?reserved/)]);
    const flat = makeTestContext({ configSchema: mediaConfigSchema,  root });
    await fetchImages(flat, { provider: 'local', path: '.', queries: 'sunset' });
    expect(flat.logs.filter((l) => l.message.includes('.env') || l.message.includes('package.json'))).toEqual([]);
  });

  it('skips a 1x1 image as too small, with a warning', async () => {
    const root = await project({ 'p/dot.png': await tinyPng(1, 1, '#ff0000'), 'p/fine.png': imgs['pics/cats/tabby.png']! });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  root });
    const out = await fetchImages(ctx, { provider: 'local', path: 'p', queries: 'dot' });
    expect(out.files[0]!.id).toBe('p/fine.png');
    expect(ctx.logs.find((l) => l.level === 'warn' && l.message.includes('dot.png'))?.message).toMatch(/1x1, smaller than media.minInputSide/);
  });

  it('handles a 20000x20000 image, and refuses it clearly under a lower maxInputPixels', async () => {
    const root = await project({});
    mkdirSync(join(root, 'p'));
    await writeHugePng(join(root, 'p', 'huge.png'), 20000, 20000);
    const out = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'p', queries: 'huge', fit: 'cover' });
    const m = await sharp(out.files[0]!.path).metadata();
    expect([m.width, m.height]).toEqual([1080, 1920]);
    const err = await failure(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root, config: { maxInputPixels: 100_000_000 } }), { provider: 'local', path: 'p', queries: 'huge' }));
    expect(err.code).toBe('E_INPUT_INVALID');
    expect(err.message).toMatch(/20000x20000 \(400 Mpx\), larger than media.maxInputPixels \(100 Mpx\)/);
  });

  it('reuses files when the folder has fewer than asked, with a warning', async () => {
    const root = await project({ 'p/one.png': imgs['pics/cats/tabby.png']! });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema,  root });
    const out = await fetchImages(ctx, { provider: 'local', path: 'p', queries: 'one', count: 3 });
    expect(out.files.map((f) => f.id)).toEqual(['p/one.png', 'p/one.png', 'p/one.png']);
    expect(new Set(out.files.map((f) => f.path)).size).toBe(3);
    expect(ctx.logs.some((l) => l.level === 'warn' && /fewer usable files/.test(l.message))).toBe(true);
  });

  it('contain shows the whole picture on a blurred copy; png output', async () => {
    const root = await project({ 'p/wide.png': await tinyPng(600, 200, '#ff0000') });
    const out = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'p', queries: 'wide', fit: 'contain', format: 'png' });
    const f = out.files[0]!;
    expect(f.path.endsWith('.png')).toBe(true);
    const { data, info } = await sharp(f.path).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
    // the picture is centred at full width (red at the edge, middle height), the band above is a dimmer blur
    expect(px(5, 960)).toBeGreaterThan(200);
    expect(px(540, 100)).toBeLessThan(200);
    expect(readFileSync(f.path).subarray(1, 4).toString()).toBe('PNG');
    const black = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'p', queries: 'wide', fit: 'contain', background: '#000000', aspect: '1:1' });
    // stats() reads the input, not the pipeline: extract to a buffer first
    const top = await sharp(await sharp(black.files[0]!.path).extract({ left: 0, top: 0, width: 1080, height: 100 }).png().toBuffer()).stats();
    expect(top.channels.map((c) => c.max)).toEqual([0, 0, 0]); // plain letterbox bars
    // the input schema refuses a colour sharp would silently read as black
    await expect(fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'p', queries: 'wide', fit: 'contain', background: 'not-a-colour' })).rejects.toThrow(/background.*must match pattern/);
  });

  it('copies and probes local clips for type: mixed', async () => {
    const root = await project({ 'm/waves-clip.mp4': tinyMp4(180, 320), 'm/waves-photo.png': imgs['pics/cats/tabby.png']! });
    const out = await fetchImages(makeTestContext({ configSchema: mediaConfigSchema,  root }), { provider: 'local', path: 'm', queries: 'waves', count: 2, type: 'mixed' });
    expect(out.files.map((f) => [f.kind, f.id, f.width, f.height])).toEqual([
      ['video', 'm/waves-clip.mp4', 180, 320],
      ['image', 'm/waves-photo.png', 1080, 1920],
    ]);
    expect(out.files[0]!.duration).toBeCloseTo(1, 1);
    expect(readFileSync(out.files[0]!.path).equals(readFileSync(join(root, 'm/waves-clip.mp4')))).toBe(true);
  });
});
