/**
 * Accounts (never a secret), schedules (list, add, pause, resume, remove), effects (list,
 * resolve) and cache stats over HTTP. An account is seeded with a secret and every answer of
 * the test is searched for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccounts } from '../../../src/infra/accounts/index.js';
import { startHarness, type ServeHarness } from './harness.js';

const SECRET = 'yt-refresh-token-s3cr3t-0123456789';
const ENV_SECRET = 'env-master-key-value-abcdef0123456789';
let h: ServeHarness;
const bodies: string[] = [];

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await h.call(method, path, body === undefined ? {} : { body });
  bodies.push(await res.clone().text());
  return res;
}

beforeAll(async () => {
  h = await startHarness({ 'pipelines/p.yaml': 'name: p\ninputs:\n  topic: { type: string }\nsteps:\n  - id: a\n    uses: core.set\n    with: { value: "${{ inputs.topic }}" }\n' }, { env: { MPV2_MASTER_KEY: ENV_SECRET } });
  const acc = openAccounts({ root: h.root, kv: h.project.state().kv, masterKey: ENV_SECRET });
  await acc.credentials.set('main', { refreshToken: SECRET, apiKey: SECRET });
  await acc.store.put({ name: 'main', platform: 'youtube', niche: 'cats', maxPerDay: 1, settings: { channelId: 'UC123' }, createdAt: new Date().toISOString() });
  // one use today and one tomorrow (UTC): the server counts today's by the real clock, so a file
  // that ran across midnight would otherwise find none; either way exactly one is today's
  const now = Date.now();
  await acc.store.recordUse('main', new Date(now));
  await acc.store.recordUse('main', new Date(now + 86_400_000));
  await acc.store.put({ name: 'spare', platform: 'email', disabled: true, settings: {}, createdAt: new Date().toISOString() });
  await h.project.state().effects.claim({ key: 'http.request:abc123', runId: '20260101-000000Z-000000', stepId: 'post', plugin: 'http.request' }, { takeOver: false });
}, 60_000);
afterAll(async () => {
  // no answer of this file carried a secret, in any of the forms a client could read
  for (const b of bodies) {
    expect(b).not.toContain(SECRET);
    expect(b).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(b).not.toContain(ENV_SECRET);
  }
  await h?.close();
});

describe('serve: accounts, schedules, effects, cache', () => {
  it('accounts: name, platform, health, today\'s uses vs the cap, whether credentials are stored; never a secret', async () => {
    const res = await call('GET', '/api/accounts');
    expect(res.status).toBe(200);
    const list = await res.json() as Array<Record<string, unknown>>;
    expect(list).toEqual([
      { name: 'main', platform: 'youtube', niche: 'cats', health: 'capped', usesToday: 1, maxPerDay: 1, lastUse: expect.any(String), hasCredentials: true },
      { name: 'spare', platform: 'email', health: 'disabled', usesToday: 0, hasCredentials: false },
    ]);
  });

  it('schedules: add (checked like `mpv2 schedule add`), list with next fires, pause, resume, remove', async () => {
    const add = await call('POST', '/api/schedules', { pipeline: 'p', cron: '0 9 * * *', tz: 'UTC', name: 'daily', inputs: { topic: 'cats' } });
    expect(add.status).toBe(201);
    expect(await add.json()).toMatchObject({ name: 'daily', pipeline: 'pipelines/p.yaml', cron: '0 9 * * *', tz: 'UTC', inputs: { topic: 'cats' }, paused: false, next: [expect.stringMatching(/T09:00:00\.000Z$/), expect.any(String), expect.any(String)] });
    const badInputs = await call('POST', '/api/schedules', { pipeline: 'p', cron: '0 9 * * *', name: 'x' });
    expect(badInputs.status).toBe(400);
    expect(await badInputs.json()).toMatchObject({ code: 'E_INPUT_INVALID' });
    const dup = await call('POST', '/api/schedules', { pipeline: 'p', cron: '0 9 * * *', name: 'daily', inputs: { topic: 'x' } });
    expect(dup.status).toBe(400);
    expect(await dup.json()).toMatchObject({ code: 'E_USAGE', hint: expect.stringContaining('remove') });

    const list = await (await call('GET', '/api/schedules')).json() as Array<{ name: string; next: string[] }>;
    expect(list.map((s) => s.name)).toEqual(['daily']);
    expect(list[0]!.next).toHaveLength(3);
    const paused = await call('POST', '/api/schedules/daily/pause');
    expect(await paused.json()).toMatchObject({ name: 'daily', paused: true });
    expect((await (await call('GET', '/api/schedules')).json() as Array<{ next: string[] }>)[0]!.next).toEqual([]);
    expect(await (await call('POST', '/api/schedules/daily/resume')).json()).toMatchObject({ paused: false });
    expect((await call('DELETE', '/api/schedules/daily')).status).toBe(204);
    expect(await (await call('GET', '/api/schedules')).json()).toEqual([]);
    const missing = await call('POST', '/api/schedules/nope/pause');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('effects: list (filtered) and resolve a pending one as done', async () => {
    const pending = await (await call('GET', '/api/effects?status=pending')).json() as Array<Record<string, unknown>>;
    expect(pending).toEqual([expect.objectContaining({ key: 'http.request:abc123', status: 'pending', runId: '20260101-000000Z-000000', stepId: 'post', plugin: 'http.request' })]);
    expect(await (await call('GET', '/api/effects?status=done')).json()).toEqual([]);
    const res = await call('POST', '/api/effects/resolve', { key: 'http.request:abc123', resolution: 'done' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ key: 'http.request:abc123', was: 'pending', now: 'done' });
    expect((await (await call('GET', '/api/effects?status=done')).json() as unknown[]).length).toBe(1);
    const unknown = await call('POST', '/api/effects/resolve', { key: 'nope', resolution: 'retry' });
    expect(unknown.status).toBe(404);
    const bad = await call('POST', '/api/effects/resolve', { key: 'x', resolution: 'maybe' });
    expect(bad.status).toBe(400);
  });

  it('cache stats', async () => {
    const res = await call('GET', '/api/cache');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ entries: expect.any(Number), entryBytes: expect.any(Number), blobs: 0, blobBytes: 0, totalBytes: expect.any(Number) });
  });
});
