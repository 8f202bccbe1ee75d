/** media.fetchImages through the real engine: schema defaults, config section, secrets, step cache. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import sharp from 'sharp';
import { makeProject, type TestProject } from '../engine/harness.js';
import { startPexels } from '../../servers/images-pexels.js';
import type { TestServer } from '../../servers/images-common.js';

let p: TestProject;
let server: TestServer;
beforeAll(async () => {
  server = await startPexels({ key: 'env-key', photos: { harbor: [{ id: 4, photographer: 'Dee', color: '#2255aa' }] } });
  p = await makeProject({
    '.mpv2rc.json': JSON.stringify({ media: { pexels: { baseUrl: server.url } } }),
    'gen.yaml': `
name: gen
steps:
  - id: images
    uses: media.fetchImages
    with:
      queries: [ocean at dawn, city lights]
      aspect: "16:9"
      seed: 9
outputs:
  files: \${{ steps.images.outputs.files }}
  attribution: \${{ steps.images.outputs.attribution }}
`,
    'pexels.yaml': `
name: px
limits:
  pexels: { concurrency: 2 }
steps:
  - id: images
    uses: media.fetchImages
    with: { provider: pexels, queries: harbor }
outputs:
  files: \${{ steps.images.outputs.files }}
  attribution: \${{ steps.images.outputs.attribution }}
`,
    'bad.yaml': `
name: bad
steps:
  - id: images
    uses: media.fetchImages
    with: { queries: x, aspect: "4:3" }
`,
  }, { PEXELS_API_KEY: 'env-key' });
});
afterAll(async () => { p?.close(); await server?.close(); });

describe('media.fetchImages in a pipeline', () => {
  it('runs with schema defaults and hands files to the next step; a second run hits the cache', async () => {
    const r = await p.run('gen.yaml');
    expect(r.result.status, JSON.stringify(r.of('step.failed'))).toBe('succeeded');
    const files = (r.result.outputs as { files: Array<{ path: string; width: number; height: number }> }).files;
    expect(files).toHaveLength(2);
    for (const f of files) {
      const abs = isAbsolute(f.path) ? f.path : `${p.root}/${f.path}`;
      expect(existsSync(abs)).toBe(true);
      const m = await sharp(abs).metadata();
      expect([m.width, m.height]).toEqual([1920, 1080]);
    }
    const again = await p.run('gen.yaml');
    expect(again.of('step.finished', 'images')[0]!.cached).toBe(true);
  });

  it('reads the media config section and PEXELS_API_KEY from the environment', async () => {
    const r = await p.run('pexels.yaml');
    expect(r.result.status, JSON.stringify(r.of('step.failed'))).toBe('succeeded');
    expect((r.result.outputs as { attribution: string }).attribution).toBe('Photo by Dee on Pexels (https://www.pexels.com/@dee)');
    expect(server.requests.find((q) => q.path === '/v1/search')!.headers.authorization).toBe('env-key');
  });

  it('rejects a bad aspect before running', async () => {
    await expect(p.run('bad.yaml')).rejects.toMatchObject({ code: expect.stringMatching(/E_PLUGIN_INPUT_INVALID|E_PIPELINE_SCHEMA/) });
  });
});
