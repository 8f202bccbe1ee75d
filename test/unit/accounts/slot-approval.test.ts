/**
 * The parts of "approval first, then the slot" below the engine: `releaseSlots` gives back
 * exactly the slots one step or `foreach` item of a run holds; the approval gate reports the
 * reserved time in the preview (`postAt`), gives the slots back when it finds the step
 * rejected, and — approved between its look and its request — waits the put-off wait before
 * the act instead of posting early.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApprovalGate, AwaitingApproval } from '../../../src/engine/approval-gate.js';
import { decideApproval } from '../../../src/engine/approvals.js';
import { SkipStep } from '../../../src/engine/context.js';
import { createAccountsApi } from '../../../src/infra/accounts/api.js';
import { CredentialStore } from '../../../src/infra/accounts/credentials.js';
import { releaseSlots, reserveSlot } from '../../../src/infra/accounts/slots.js';
import { AccountStore } from '../../../src/infra/accounts/store.js';
import { Redactor } from '../../../src/infra/redact.js';
import { openState, type State } from '../../../src/infra/state.js';

const roots: string[] = [];
const states: State[] = [];
afterEach(() => {
  states.splice(0).forEach((s) => s.close());
  roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true }));
});

function open(): { state: State; store: AccountStore; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-slot-approval-'));
  roots.push(root);
  const state = openState(root);
  states.push(state);
  return { state, store: new AccountStore(state.kv, root), root };
}

describe('releaseSlots', () => {
  it('gives back the slots of one step or item of one run, and no other', async () => {
    const { store } = open();
    await store.put({ name: 'a', platform: 'x', settings: {}, slots: ['09:00', '18:00'], timezone: 'UTC', createdAt: new Date(0).toISOString() });
    const a = (await store.get('a'))!;
    const now = new Date('2030-01-10T00:00:00Z');
    await reserveSlot(store, a, 'k0', { now, runId: 'r1', stepId: 'post', index: 0 });
    await reserveSlot(store, a, 'k1', { now, runId: 'r1', stepId: 'post', index: 1 });
    await reserveSlot(store, a, 'k2', { now, runId: 'r1', stepId: 'other' });
    await reserveSlot(store, a, 'k3', { now, runId: 'r2', stepId: 'post', index: 1 });
    const gone = await releaseSlots(store, { runId: 'r1', stepId: 'post', index: 1 });
    expect(gone.map((r) => r.key)).toEqual(['k1']);
    expect((await store.slots('a')).map((r) => r.key).sort()).toEqual(['k0', 'k2', 'k3']);
    // the freed slot is the next one handed out
    expect((await reserveSlot(store, a, 'k4', { now, runId: 'r3', stepId: 'post' })).at).toBe(gone[0]!.at);
  });
});

describe('the approval gate with a posting time', () => {
  const gateFor = (state: State, root: string, onReject?: () => Promise<void>) => {
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    return new ApprovalGate({ store: state.approvals, runId: 'r1', stepId: 'post', plugin: 'x.post', runDir: join(root, 'runs', 'r1'), redactor: new Redactor([]), inputHash: 'h', ...(onReject && { onReject }) });
  };

  it('puts the wait off while undecided and says the time in the preview', async () => {
    const { state, root } = open();
    const g = gateFor(state, root);
    await g.before();
    expect(g.pending()).toBe(true);
    let waited = 0;
    g.defer('2030-01-10T18:00:00.000Z', async () => { waited++; });
    await expect(g.check('x.post:k', { text: 'hi' })).rejects.toBeInstanceOf(AwaitingApproval);
    expect(waited).toBe(0);
    expect((await state.approvals.get(g.id))!.preview).toMatchObject({ postAt: '2030-01-10T18:00:00.000Z', wouldDo: { text: 'hi' } });
  });

  it('approved between the look and the request: the put-off wait is waited before the act', async () => {
    const { state, root } = open();
    const g = gateFor(state, root);
    await g.before(); // nothing recorded yet
    await expect(gateFor(state, root).check('x.post:k', {})).rejects.toBeInstanceOf(AwaitingApproval);
    await decideApproval(state.approvals, g.id, 'approve');
    let waited = 0;
    g.defer('2030-01-10T18:00:00.000Z', async () => { waited++; });
    await g.check('x.post:k', {});
    expect(waited).toBe(1);
  });

  it('rejected: gives back what the step held, then skips it', async () => {
    const { state, root } = open();
    await expect(gateFor(state, root).check('x.post:k', {})).rejects.toBeInstanceOf(AwaitingApproval);
    const g = gateFor(state, root);
    await decideApproval(state.approvals, g.id, 'reject', { note: 'no' });
    let released = 0;
    await expect(gateFor(state, root, async () => { released++; }).before()).rejects.toBeInstanceOf(SkipStep);
    expect(released).toBe(1);
  });
});

describe('ctx.accounts while the approval is undecided', () => {
  it('waitForSlot reserves and puts the wait off; reserveSlot (a platform that schedules) names its slot for the preview', async () => {
    const { store, root } = open();
    await store.put({ name: 'a', platform: 'x', settings: {}, slots: ['18:00'], timezone: 'UTC', createdAt: new Date(0).toISOString() });
    const deferred: string[] = [];
    let slept = 0;
    let approved = false;
    let t = Date.parse('2030-01-10T10:00:00Z');
    const api = createAccountsApi({
      store, credentials: new CredentialStore(join(root, 'credentials.json')), redactor: new Redactor([]), runId: 'r', stepId: 's',
      now: () => new Date(t), sleep: async (ms) => { slept++; t += ms; },
      approval: { pending: () => !approved, defer: (at) => { deferred.push(at); } },
    });
    expect(await api.waitForSlot('a', 'k1')).toBe('2030-01-10T18:00:00.000Z');
    expect(slept).toBe(0);
    expect(await api.reserveSlot('a', 'k2')).toBe('2030-01-11T18:00:00.000Z');
    expect(deferred).toEqual(['2030-01-10T18:00:00.000Z', '2030-01-11T18:00:00.000Z']);
    // approved: the same slot, waited for
    approved = true;
    expect(await api.waitForSlot('a', 'k1')).toBe('2030-01-10T18:00:00.000Z');
    expect(slept).toBeGreaterThan(0);
    expect(deferred).toHaveLength(2);
  });
});
