/** GET /api/runs/{id}/files/{path}: Range requests, and nothing outside the run folder (../, absolute, symlinks out). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_PIPELINE, sseReader, startHarness, type ServeHarness } from './harness.js';

let h: ServeHarness;
let runId: string;
let runDir: string;
const CONTENT = 'hello world, 0123456789';
const MASTER_KEY = 'a7'.repeat(32);

beforeAll(async () => {
  h = await startHarness({ 'pipelines/fast.yaml': FAST_PIPELINE, '.env': 'SOME_SECRET=do-not-serve\n', 'secret.txt': 'outside the run folder' }, { env: { MPV2_MASTER_KEY: MASTER_KEY } });
  const res = await h.call('POST', '/api/runs', { body: { pipeline: 'fast' } });
  runId = (await res.json() as { runId: string }).runId;
  await sseReader(await h.call('GET', `/api/runs/${runId}/events`)).all();
  runDir = join(h.root, '.mpv2', 'runs', runId);
  symlinkSync(join(h.root, '.env'), join(runDir, 'env-link'));
  symlinkSync(h.root, join(runDir, 'root-link'));
  mkdirSync(join(runDir, 'sub'), { recursive: true });
  writeFileSync(join(runDir, 'sub', 'inner.txt'), 'inner');
  symlinkSync(join(runDir, 'sub', 'inner.txt'), join(runDir, 'inner-link'));
}, 60_000);
afterAll(async () => { await h?.close(); });

const file = (path: string, headers: Record<string, string> = {}) => h.call('GET', `/api/runs/${runId}/files/${path}`, { headers });

describe('serve: run files', () => {
  it('a text artifact that holds a secret is sent with it masked (a whole 200, whatever the Range)', async () => {
    writeFileSync(join(runDir, 'leak.json'), JSON.stringify({ note: `key ${MASTER_KEY}`, b64: Buffer.from(MASTER_KEY).toString('base64') }));
    for (const headers of [{}, { range: 'bytes=0-9' }] as Array<Record<string, string>>) {
      const res = await file('leak.json', headers);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).not.toContain(MASTER_KEY);
      expect(body).not.toContain(Buffer.from(MASTER_KEY).toString('base64'));
      expect(JSON.parse(body)).toEqual({ note: 'key [REDACTED]', b64: '[REDACTED]' });
    }
  });

  it('serves a file of the run folder whole, and a byte range with 206 and Content-Range', async () => {
    const whole = await file('out/hello.txt');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(await whole.text()).toBe(CONTENT);
    const part = await file('out/hello.txt', { range: 'bytes=6-10' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 6-10/${CONTENT.length}`);
    expect(await part.text()).toBe('world');
    const tail = await file('out/hello.txt', { range: 'bytes=-4' });
    expect(tail.status).toBe(206);
    expect(await tail.text()).toBe('6789');
    const beyond = await file('out/hello.txt', { range: 'bytes=999-' });
    expect(beyond.status).toBe(416);
  });

  it('follows a symbolic link that stays inside the run folder', async () => {
    const res = await file('inner-link');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('inner');
  });

  it('refuses ../, absolute paths and symbolic links that lead out, as problem+json, never the file', async () => {
    for (const path of ['..%2F..%2F..%2Fsecret.txt', '%2E%2E/%2E%2E/%2E%2E/secret.txt', 'sub%2F..%2F..%2F..%2F..%2Fsecret.txt', '%2Fetc%2Fpasswd', 'env-link', 'root-link/secret.txt', 'root-link/.env']) {
      const res = await file(path);
      const text = await res.text();
      expect([400, 404], path).toContain(res.status);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(text).not.toContain('outside the run folder');
      expect(text).not.toContain('do-not-serve');
      expect(JSON.parse(text).code, path).toMatch(/^E_(PATH_OUTSIDE_ROOT|NOT_FOUND)$/);
    }
    const folder = await file('sub');
    expect(folder.status).toBe(404);
    const missing = await file('nope.txt');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'E_NOT_FOUND' });
    const otherRun = await h.call('GET', '/api/runs/20260101-000000Z-000000/files/out/hello.txt');
    expect(otherRun.status).toBe(404);
  });
});
