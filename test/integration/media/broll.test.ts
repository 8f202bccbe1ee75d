/**
 * B-roll that matches the narration: one query per sentence, a relevance check of each
 * candidate's tags / alt text / URL slug against its sentence with a re-query on a poor match,
 * and the user's library searched first. Against the loopback Pexels and Pixabay servers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestContext } from '../../helpers/context.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { fetchImages, tinyPng, validateOutput } from '../../fixtures/media/helpers.js';
import { startPexels } from '../../servers/images-pexels.js';
import { startPixabay } from '../../servers/images-pixabay.js';
import type { TestServer } from '../../servers/images-common.js';
import { isMpv2Error } from '../../../src/errors.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const SCRIPT = 'Waves crash on the ocean at dawn. Night falls over the neon city.';

const pexelsPhotos = {
  // the first result is about something else: the relevance check skips it for the next one
  'waves crash ocean': [
    { id: 1, photographer: 'Ana Lima', color: '#ff0000', alt: 'Laptop on an office desk' },
    { id: 2, photographer: 'Bo Chen', color: '#00ff00', alt: 'Ocean waves at dawn' },
  ],
  // nothing relevant for the sentence's own query: the broader query ("night") is asked
  'night falls neon': [{ id: 3, photographer: 'Cy Diaz', color: '#0000ff', alt: 'A bowl of fruit' }],
  night: [{ id: 4, photographer: 'Di Eng', color: '#ffff00', alt: 'Lights at night', slug: 'neon-city-street' }],
};

describe('media.fetchImages: b-roll that matches', () => {
  it('makes one query per sentence, skips a poor match for the next candidate, re-queries broader, and records why', async () => {
    server = await startPexels({ key: 'pk', photos: pexelsPhotos });
    const run = async () => fetchImages(
      makeTestContext({ configSchema: mediaConfigSchema, config: { pexels: { baseUrl: server!.url } }, secrets: { PEXELS_API_KEY: 'pk' } }),
      { provider: 'pexels', script: SCRIPT},
    );
    const out = await run();
    expect(validateOutput(out)).toBe(true);
    expect(out.files.map((f) => [f.id, f.query, f.sentence])).toEqual([
      ['2', 'waves crash ocean', 'Waves crash on the ocean at dawn.'],
      ['4', 'night falls neon', 'Night falls over the neon city.'],
    ]);
    const queries = server.requests.filter((r) => r.path === '/v1/search').map((r) => r.query.query);
    expect(queries.slice(0, 2)).toEqual(['waves crash ocean', 'night falls neon']);
    expect(queries).toContain('night');

    const [first, second] = out.files;
    expect(first!.match).toMatchObject({ score: 1, considered: [
      { id: '1', query: 'waves crash ocean', score: 0, verdict: 'skipped', reason: expect.stringMatching(/poor match/) },
      { id: '2', query: 'waves crash ocean', score: 1, verdict: 'chosen' },
    ] });
    // alt "Lights at night" + slug "neon-city-street": night, neon, city of the sentence's words
    expect(second!.match!.score).toBe(1);
    expect(second!.match!.reason).toMatch(/from the query "night"/);
    expect(second!.match!.considered.map((c) => [c.id, c.verdict])).toEqual([['3', 'skipped'], ['4', 'chosen']]);

    // the same script and results give the same choice, recorded the same way
    const again = await run();
    expect(again.files.map((f) => [f.id, f.match])).toEqual(out.files.map((f) => [f.id, f.match]));
  });

  it('takes queries given per sentence, reads Pixabay tags, and falls back to the best poor match with a warning', async () => {
    server = await startPixabay({
      key: 'xk',
      hits: {
        forest: [{ id: 10, user: 'u1', color: '#ff0000', tags: 'car, road' }, { id: 11, user: 'u2', color: '#00ff00', tags: 'forest, trees, moss' }],
        coffee: [{ id: 12, user: 'u3', color: '#0000ff', tags: 'laptop, desk' }],
      },
    });
    const ctx = makeTestContext({ configSchema: mediaConfigSchema, config: { pixabay: { baseUrl: server.url } }, secrets: { PIXABAY_API_KEY: 'xk' } });
    const out = await fetchImages(ctx, { provider: 'pixabay', script: 'We walk through the old forest. Then we drink coffee.', queries: ['forest', 'coffee']});
    expect(out.files.map((f) => f.id)).toEqual(['11', '12']);
    // "walk", "old", "forest": one of three → 0.33, over the 0.3 a script defaults to; "car, road" (0) was skipped
    expect(out.files[0]!.match).toMatchObject({ score: 0.33, reason: expect.stringMatching(/relevant/) });
    expect(out.files[0]!.match!.considered.map((c) => [c.id, c.verdict])).toEqual([['10', 'skipped'], ['11', 'chosen']]);
    expect(out.files[1]!.match).toMatchObject({ score: 0, reason: expect.stringMatching(/best of the poor matches/) });
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('pixabay 12 (score 0)'))).toBe(true);
  });

  it('searches the library first, by file name and by both sidecar formats, and asks the provider only for the rest', async () => {
    server = await startPexels({ key: 'pk', photos: { 'cat sleeps': [{ id: 7, photographer: 'Ed Fox', color: '#ffffff', alt: 'Sleeping cat' }] } });
    const root = mkdtempSync(join(tmpdir(), 'mpv2-broll-'));
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib', 'ocean-waves.png'), await tinyPng(300, 200, '#ff0000'));
    writeFileSync(join(root, 'lib', 'IMG_0001.png'), await tinyPng(300, 200, '#00ff00'));
    writeFileSync(join(root, 'lib', 'IMG_0001.png.tags'), 'city, night\nneon');
    writeFileSync(join(root, 'lib', 'IMG_0002.png'), await tinyPng(300, 200, '#0000ff'));
    writeFileSync(join(root, 'lib', 'IMG_0002.json'), JSON.stringify({ tags: ['office', 'desk', 'laptop'] }));
    const ctx = makeTestContext({ configSchema: mediaConfigSchema, root, config: { library: 'lib', pexels: { baseUrl: server.url } }, secrets: { PEXELS_API_KEY: 'pk' } });
    const out = await fetchImages(ctx, { provider: 'pexels', script: `${SCRIPT} A cat sleeps. She types at her office desk.`});
    expect(out.files.map((f) => [f.source, f.id])).toEqual([
      ['local', 'lib/ocean-waves.png'],
      ['local', 'lib/IMG_0001.png'],
      ['pexels', '7'],
      ['local', 'lib/IMG_0002.png'],
    ]);
    expect(out.files[0]!.match!.reason).toMatch(/library match/);
    // only the sentence the library has nothing for went to Pexels
    expect(server.requests.filter((r) => r.path === '/v1/search').map((r) => r.query.query)).toEqual(['cat sleeps']);
    // the step's `library` input wins over the config; a library file that matches nothing is not used
    const noLib = await fetchImages(ctx, { provider: 'pexels', script: 'A cat sleeps.', library: 'lib' });
    expect(noLib.files.map((f) => f.id)).toEqual(['7']);
  });

  it('provider: local reads sidecar tags too; a sidecar leading out of the project or not JSON is ignored with a warning', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mpv2-broll-'));
    const outside = mkdtempSync(join(tmpdir(), 'mpv2-outside-'));
    writeFileSync(join(outside, 'secret.tags'), 'forest, ocean');
    mkdirSync(join(root, 'pics'));
    for (const [name, color] of [['a.png', '#ff0000'], ['b.png', '#00ff00'], ['c.png', '#0000ff']] as const) writeFileSync(join(root, 'pics', name), await tinyPng(300, 200, color));
    writeFileSync(join(root, 'pics', 'b.png.tags'), 'forest, moss');
    symlinkSync(join(outside, 'secret.tags'), join(root, 'pics', 'c.png.tags'));
    writeFileSync(join(root, 'pics', 'a.json'), '{ "tags": [ "ocean", SECRET-TEXT');
    const ctx = makeTestContext({ configSchema: mediaConfigSchema, root });
    // whatever the seed (the random pick for a file name that matches nothing), the tagged file wins
    for (const seed of [1, 2, 3, 4]) {
      const out = await fetchImages(ctx, { provider: 'local', path: 'pics', queries: ['forest'], seed });
      expect(out.files.map((f) => f.id)).toEqual(['pics/b.png']);
    }
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('c.png.tags'))).toBe(true);
    const bad = ctx.logs.find((l) => l.message.includes('a.json'));
    expect(bad?.message).toMatch(/is not valid JSON/);
    expect(JSON.stringify(ctx.logs)).not.toContain('SECRET-TEXT');
  });

  it('says clearly when neither queries nor script is given, or when queries do not line up with the sentences', async () => {
    const ctx = makeTestContext({ configSchema: mediaConfigSchema });
    const fail = async (withInput: Record<string, unknown>) => {
      try { await fetchImages(ctx, withInput); } catch (e) { if (isMpv2Error(e)) return e; throw e; }
      throw new Error('expected a failure');
    };
    expect(await fail({})).toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/`queries` or `script`/) });
    expect(await fail({ script: SCRIPT, library: 'no-such-folder' })).toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/media library "no-such-folder"/) });
    expect(await fail({ script: SCRIPT, queries: ['one'] })).toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/2 sentence\(s\), `queries` has 1/) });
  });
});
