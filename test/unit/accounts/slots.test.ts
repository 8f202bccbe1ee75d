/**
 * Posting slots: local times in the account's zone (daylight saving included), the next free
 * one reserved atomically — two runs on two connections never get the same slot — and the
 * same key gets its slot back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccountsApi } from '../../../src/infra/accounts/api.js';
import { CredentialStore } from '../../../src/infra/accounts/credentials.js';
import { AccountStore } from '../../../src/infra/accounts/store.js';
import { Redactor } from '../../../src/infra/redact.js';
import { abortableSleep } from '../../../src/infra/sleep.js';
import { checkSlots, reserveSlot, upcomingSlots } from '../../../src/infra/accounts/slots.js';
import { upcomingPosts } from '../../../src/infra/accounts/upcoming.js';
import { openState, type State } from '../../../src/infra/state.js';

const roots: string[] = [];
const states: State[] = [];
afterEach(() => {
  states.splice(0).forEach((s) => s.close());
  roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true }));
});

async function stores(n: number): Promise<AccountStore[]> {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-slots-'));
  roots.push(root);
  const out = Array.from({ length: n }, () => { const s = openState(root); states.push(s); return new AccountStore(s.kv, root); });
  await out[0]!.put({ name: 'chan', platform: 'youtube', settings: {}, slots: ['09:00', '13:00', '18:00'], timezone: 'America/New_York', createdAt: new Date(0).toISOString() });
  return out;
}

describe('posting slots', () => {
  it('are local times of the account\'s zone, across a daylight-saving change', () => {
    // New York moves to summer time on 2030-03-10 at 02:00
    const at = upcomingSlots(['09:00'], 'America/New_York', new Date('2030-03-09T00:00:00Z'), 2).map((d) => d.toISOString());
    expect(at).toEqual(['2030-03-09T14:00:00.000Z', '2030-03-10T13:00:00.000Z']);
    expect(upcomingSlots(['18:00', '09:00'], undefined, new Date('2030-01-01T10:00:00Z'), 3).map((d) => d.toISOString()))
      .toEqual(['2030-01-01T18:00:00.000Z', '2030-01-02T09:00:00.000Z', '2030-01-02T18:00:00.000Z']);
  });

  it('refuses malformed times, duplicates and unknown zones with a hint', () => {
    expect(() => checkSlots(['9:00'])).toThrow(/"HH:MM".*"9:00"/);
    expect(() => checkSlots(['24:00'])).toThrow(/not "24:00"/);
    expect(() => checkSlots(['09:00', '09:00'])).toThrow(/listed twice/);
    expect(() => checkSlots(['09:00'], 'Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('ten runs on two connections reserving at once get ten different slots, in order; a key gets its own back', async () => {
    const [x, y] = await stores(2);
    const now = new Date('2030-06-01T12:00:00Z'); // 08:00 in New York
    const account = (await x!.get('chan'))!;
    const got = await Promise.all(Array.from({ length: 10 }, (_, i) => reserveSlot(i % 2 ? x! : y!, account, `key-${i}`, { now })));
    const times = got.map((r) => r.at).sort();
    expect(new Set(times).size).toBe(10);
    expect(times[0]).toBe('2030-06-01T13:00:00.000Z'); // 09:00 EDT, the first slot after now + 5 minutes
    expect(times.at(-1)).toBe('2030-06-04T13:00:00.000Z'); // three a day: the tenth is 09:00 on the fourth day
    const again = await reserveSlot(y!, account, 'key-3', { now });
    expect(again.at).toBe(got[3]!.at);
    const posts = await upcomingPosts(x!, { now, free: 2 });
    expect(posts[0]).toMatchObject({ account: 'chan', timezone: 'America/New_York' });
    expect(posts[0]!.reserved).toHaveLength(10);
    expect(posts[0]!.free).toEqual(['2030-06-04T17:00:00.000Z', '2030-06-04T22:00:00.000Z']);
  });

  it('waitForSlot sleeps on the step\'s signal until the reserved slot, in pieces of at most an hour (a timer cannot span 25 days), re-reading the clock', async () => {
    const [store] = await stores(1);
    let t = Date.parse('2030-01-01T15:00:00Z'); // 10:00 in New York
    const naps: number[] = [];
    const lines: string[] = [];
    const api = (o: { signal?: AbortSignal; sleep?: (ms: number, signal: AbortSignal) => Promise<unknown> } = {}) => createAccountsApi({
      store: store!, credentials: new CredentialStore(join(roots[0]!, 'credentials.json')), redactor: new Redactor([]), runId: 'r', stepId: 's',
      now: () => new Date(t), log: { info: (m) => lines.push(m) },
      sleep: async (ms) => { naps.push(ms); t += ms === 3_600_000 ? ms - 1000 : ms; }, // a clock a little behind: re-read
      ...o,
    });
    expect(await api().waitForSlot('chan', 'k1')).toBe('2030-01-01T18:00:00.000Z');
    expect(t).toBe(Date.parse('2030-01-01T18:00:00.000Z'));
    expect(naps.every((n) => n <= 3_600_000)).toBe(true);
    expect(lines).toContain('waiting until 2030-01-01T18:00:00.000Z (chan\'s slot)');
    // forty days ahead, as an ISO time: no slot reserved, still in pieces
    naps.length = 0;
    const far = new Date(t + 40 * 86_400_000).toISOString();
    expect(await api().waitForSlot('chan', 'k2', { at: far })).toBe(far);
    expect(t).toBe(Date.parse(far));
    expect(Math.max(...naps)).toBe(3_600_000);
    expect((await store!.slots('chan')).map((r) => r.key)).toEqual(['k1']);
    // an abort ends the wait with E_ABORTED; the slot stays the key's
    const ac = new AbortController();
    const waiting = api({ signal: ac.signal, sleep: (ms, signal) => abortableSleep(ms, signal) }).waitForSlot('chan', 'k3');
    ac.abort(); // before the sleep starts: the slot is reserved first, then the wait ends at once
    await expect(waiting).rejects.toMatchObject({ code: 'E_ABORTED' });
    const held = (await store!.slots('chan')).find((r) => r.key === 'k3');
    expect(held).toBeDefined();
    await expect(api().waitForSlot('chan', 'k4', { at: 'soon' })).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID' });
  });

  it('a slot too close to now is not taken', async () => {
    const [x] = await stores(1);
    const account = (await x!.get('chan'))!;
    const r = await reserveSlot(x!, account, 'k', { now: new Date('2030-06-01T12:57:00Z') }); // 08:57 EDT
    expect(r.at).toBe('2030-06-01T17:00:00.000Z');
  });
});
