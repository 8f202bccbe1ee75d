/** `mpv2 doctor` lines of the tiktok namespace: the API in use, and a broken selectors file named. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTiktok } from '../../../plugins/tiktok/check.js';

const base = { secrets: {}, http: undefined as never, signal: new AbortController().signal };

describe('tiktok doctor checks', () => {
  it('reports the API and the shipped selectors; a selectors file that is not JSON is an error line naming it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mpv2-tt-doc-'));
    const ok = await checkTiktok({ ...base, root, config: { apiBaseUrl: 'https://open.tiktokapis.com', chunkSize: 10485760 } });
    expect(ok.map((r) => [r.name, r.ok])).toEqual([['tiktok: API', true], ['tiktok: browser selectors', true]]);
    writeFileSync(join(root, 'sel.json'), '{ not json');
    const bad = await checkTiktok({ ...base, root, config: { apiBaseUrl: 'x', chunkSize: 10485760, selectorsFile: 'sel.json' } });
    expect(bad[1]).toMatchObject({ ok: false, level: 'error' });
    expect(bad[1]!.message).toMatch(/sel\.json cannot be read as JSON/);
  });
});
