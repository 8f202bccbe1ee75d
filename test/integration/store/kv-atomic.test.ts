/**
 * The key-value store's atomic operations on SQLite, from two connections to one state.db as
 * two processes have them: `add` lets exactly one claimant win a key, `increment` loses no count
 * (an account's daily uses, counted by two runs at once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openState, type State } from '../../../src/infra/state.js';
import { AccountStore } from '../../../src/infra/accounts/store.js';

let roots: string[] = [];
let states: State[] = [];
afterEach(() => {
  states.forEach((s) => s.close());
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
  roots = [];
  states = [];
});

function twoConnections(): [State, State] {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-kv-'));
  roots.push(root);
  const pair: [State, State] = [openState(root), openState(root)];
  states.push(...pair);
  return pair;
}

describe('SQLite key-value store', () => {
  it("add sets a key once: one claimant of many wins, the value is the winner's", async () => {
    const [x, y] = twoConnections();
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? x : y).kv.add('ns', 'slot', { by: i })));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await y.kv.get('ns', 'slot')).toEqual({ by: claims.indexOf(true) });
    expect(await x.kv.add('other', 'slot', 1)).toBe(true); // namespaces apart
  });

  it('increment counts every call from both connections, from unset', async () => {
    const [x, y] = twoConnections();
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? x : y).kv.increment('ns', 'n', 1)));
    expect(counts.sort((m, n) => m - n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await x.kv.get('ns', 'n')).toBe(20);
    expect(await y.kv.increment('ns', 'n', -3)).toBe(17);
  });

  it("an account's uses recorded by two runs at once are all counted", async () => {
    const [x, y] = twoConnections();
    const [sx, sy] = [new AccountStore(x.kv, x.dir), new AccountStore(y.kv, y.dir)];
    const now = new Date('2030-05-01T10:00:00Z');
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? sx : sy).recordUse('chan', now)));
    expect(await sx.usesOn('chan', '2030-05-01')).toBe(10);
  });
});
