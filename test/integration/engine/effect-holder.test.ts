/**
 * `ctx.effect` meeting a pending record of another run (real SQLite journal and effect store
 * in a temp folder; the wait's clock and sleep are injected). While that run's owner lives
 * the record is not in doubt: the effect waits and takes its outcome. Only a pending record
 * whose owner died is in doubt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEffect } from '../../../src/engine/admin/effects-admin.js';
import { effectKey, makeEffect } from '../../../src/engine/effects.js';
import { selfOwner, withLiveOwners } from '../../../src/engine/owner.js';
import { Redactor } from '../../../src/infra/redact.js';
import { openDatabase, SqliteEffects, SqliteJournal } from '../../../src/infra/store/sqlite.js';
import type { EffectStore } from '../../../src/infra/store/types.js';

let dir: string;
let db: Database.Database;
let journal: SqliteJournal;
let store: EffectStore;
let raw: SqliteEffects;
let logs: string[];
let now: number;
let sleeps: number[];
/** Called at each wait of the effect, after the clock moved on by the wait. */
let onSleep: (n: number) => void | Promise<void>;

const KEY = 'post-1';
const K = effectKey('x.post', KEY);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mpv2-holder-'));
  db = openDatabase(join(dir, 'state.db'));
  journal = new SqliteJournal(db);
  raw = new SqliteEffects(db);
  store = withLiveOwners(raw, journal);
  logs = [];
  now = 0;
  sleeps = [];
  onSleep = () => undefined;
  // run A is going: this test process plays its owner (live: same host, pid and start time)
  for (const id of ['A', 'B']) await journal.createRun({ id, pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status: 'running', inputs: {}, startedAt: '2026-05-04T09:00:00.000Z' });
  await journal.claimRun('A', { ...selfOwner(), token: 'owner-of-A' }, () => false);
  await raw.claim({ key: K, runId: 'A', stepId: 'post', plugin: 'x.post' }, { takeOver: false });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function effectOfB(signal?: AbortSignal) {
  return makeEffect({
    store, runId: 'B', stepId: 'post', plugin: 'x.post', workdir: dir, dryRun: false, signal, redactor: new Redactor(),
    log: { debug() {}, info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    now: () => now,
    sleep: async (ms, s) => {
      if (s?.aborted) throw Object.assign(new Error('aborted while waiting'), { code: 'E_ABORTED' });
      sleeps.push(ms);
      now += ms;
      await onSleep(sleeps.length);
    },
    holderWaitMs: 60_000,
  });
}

describe('a pending record of a live run', () => {
  it('is waited for, and its result used: the act does not run again', async () => {
    onSleep = async (n) => { if (n === 3) await raw.complete(K, { id: 'tweet-1' }); };
    let acted = 0;
    const r = await effectOfB()(KEY, async () => { acted++; return { id: 'tweet-2' }; });
    expect(r).toEqual({ id: 'tweet-1' });
    expect(acted).toBe(0);
    expect(sleeps).toEqual([250, 500, 1000]); // backoff
    expect(logs[0]).toContain(`another live run (A, process ${process.pid} on ${hostname()}`);
  });

  it('that failed: the effect acts', async () => {
    onSleep = async () => { await raw.fail(K, { code: 'E_HTTP', message: 'refused' }); };
    let acted = 0;
    expect(await effectOfB()(KEY, async () => { acted++; return 'sent'; })).toBe('sent');
    expect(acted).toBe(1);
    expect((await raw.get(K))).toMatchObject({ status: 'done', runId: 'B' });
  });

  it('whose owner dies with the record still pending: in doubt, as after a crash', async () => {
    onSleep = async () => { await journal.releaseRun('A', 'owner-of-A'); };
    let acted = 0;
    await expect(effectOfB()(KEY, async () => { acted++; })).rejects.toMatchObject({ code: 'E_EFFECT_IN_DOUBT', message: expect.stringContaining('did not record its outcome') });
    expect(acted).toBe(0);
  });

  it('still pending past the bound: E_RUN_OWNED names the run and its owner, nothing is done', async () => {
    let acted = 0;
    const err = await effectOfB()(KEY, async () => { acted++; }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_RUN_OWNED' });
    expect((err as Error).message).toContain(`another live run (A, process ${process.pid} on ${hostname()}`);
    expect(now).toBe(60_000);
    expect(acted).toBe(0);
    expect(await raw.get(K)).toMatchObject({ status: 'pending', runId: 'A' });
  });

  it('the wait ends with Ctrl-C', async () => {
    const c = new AbortController();
    onSleep = (n) => { if (n === 2) c.abort(); };
    await expect(effectOfB(c.signal)(KEY, async () => 'x')).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(await raw.get(K)).toMatchObject({ status: 'pending', runId: 'A' });
  });

  it('claimed by the other run between our look and our claim: waited for too', async () => {
    await raw.remove(K);
    // the other run's claim lands right after our first look
    const racing: EffectStore = Object.assign(Object.create(store) as EffectStore, {
      get: async (k: string) => {
        const r = await store.get(k);
        if (!r && !(await raw.get(K))) await raw.claim({ key: K, runId: 'A', stepId: 'post', plugin: 'x.post' }, { takeOver: false });
        return r;
      },
    });
    onSleep = async () => { await raw.complete(K, { id: 'tweet-1' }); };
    let acted = 0;
    const effect = makeEffect({
      store: racing, runId: 'B', stepId: 'post', plugin: 'x.post', workdir: dir, dryRun: false, redactor: new Redactor(),
      log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => now, sleep: async (ms) => { now += ms; await onSleep(1); },
    });
    expect(await effect(KEY, async () => { acted++; return { id: 'tweet-2' }; })).toEqual({ id: 'tweet-1' });
    expect(acted).toBe(0);
  });
});

describe('a pending record of a dead run', () => {
  it('is in doubt at once: no wait', async () => {
    await journal.releaseRun('A', 'owner-of-A');
    await expect(effectOfB()(KEY, async () => 'x')).rejects.toMatchObject({ code: 'E_EFFECT_IN_DOUBT' });
    expect(sleeps).toEqual([]);
  });
});

describe('two runs taking over the same dead run\'s pending record', () => {
  it('one acts; the other waits for it and uses its result', async () => {
    await journal.releaseRun('A', 'owner-of-A'); // A died with its record pending
    await journal.createRun({ id: 'C', pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status: 'running', inputs: {}, startedAt: '2026-05-04T09:00:00.000Z' });
    for (const id of ['B', 'C']) await journal.claimRun(id, { ...selfOwner(), token: `owner-of-${id}` }, () => false);
    // both ask the platform at the same time and hear "it did not happen"
    let asked = 0;
    let bothAsked: () => void = () => undefined;
    const barrier = new Promise<void>((r) => { bothAsked = r; });
    const reconcile = async () => { if (++asked === 2) bothAsked(); await barrier; return undefined; };
    let letBFinish: () => void = () => undefined;
    const bMayFinish = new Promise<void>((r) => { letBFinish = r; });
    let acts = 0;
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const make = (runId: string) => makeEffect({
      store, runId, stepId: 'post', plugin: 'x.post', workdir: dir, dryRun: false, redactor: new Redactor(), log,
      now: () => now, sleep: async (ms) => { now += ms; letBFinish(); },
    });
    const [b, c] = await Promise.all([
      make('B')(KEY, async () => { acts++; await bMayFinish; return `posted by B`; }, { reconcile }),
      make('C')(KEY, async () => { acts++; letBFinish(); return `posted by C`; }, { reconcile }),
    ]);
    expect(acts).toBe(1);
    expect(b).toBe('posted by B');
    expect(c).toBe('posted by B');
  });
});

describe('mpv2 effects resolve', () => {
  it('refuses a pending effect of a live run (it is being acted on), settles it once that run is gone', async () => {
    const state = { effects: store, journal };
    await expect(resolveEffect(state, K, 'retry')).rejects.toMatchObject({ code: 'E_RUN_OWNED', message: expect.stringContaining(`by run A (process ${process.pid}`) });
    expect(await raw.get(K)).toMatchObject({ status: 'pending', runId: 'A' });
    await journal.releaseRun('A', 'owner-of-A');
    await expect(resolveEffect(state, K, 'retry')).resolves.toMatchObject({ was: 'pending', now: 'removed' });
  });
});
