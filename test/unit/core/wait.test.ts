import { afterEach, describe, expect, it, vi } from 'vitest';
import wait from '../../../plugins/core/wait.js';
import { makeTestContext } from '../../helpers/context.js';
import { runPlugin } from './run-plugin.js';

afterEach(() => { vi.useRealTimers(); });

describe('core.wait', () => {
  it('waits the time asked, reporting progress about once a second (fake clock)', async () => {
    vi.useFakeTimers();
    const ctx = makeTestContext();
    let done = false;
    const p = runPlugin(wait, ctx, { seconds: 3.5 }).then((r) => { done = true; return r; });
    await vi.advanceTimersByTimeAsync(3400);
    expect(done).toBe(false);
    expect(ctx.progressUpdates.map((u) => u.fraction)).toEqual([1000 / 3500, 2000 / 3500, 3000 / 3500]);
    await vi.advanceTimersByTimeAsync(100);
    expect(await p).toEqual({ waitedMs: 3500 });
    expect(ctx.progressUpdates.at(-1)).toEqual({ fraction: 1, message: 'waited 3.5s' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('returns at once for 0 seconds', async () => {
    vi.useFakeTimers();
    expect(await runPlugin(wait, makeTestContext(), { seconds: 0 })).toEqual({ waitedMs: 0 });
  });

  it('throws E_ABORTED promptly when the signal aborts, and clears its timer', async () => {
    vi.useFakeTimers();
    const ac = new AbortController();
    const p = runPlugin(wait, makeTestContext({ signal: ac.signal }), { seconds: 3600 });
    await vi.advanceTimersByTimeAsync(1500);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws E_ABORTED when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runPlugin(wait, makeTestContext({ signal: ac.signal }), { seconds: 10 })).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('refuses negative and over-a-day waits (input schema)', async () => {
    await expect(runPlugin(wait, makeTestContext(), { seconds: -1 })).rejects.toThrow(/seconds/);
    await expect(runPlugin(wait, makeTestContext(), { seconds: 86_401 })).rejects.toThrow(/seconds/);
    await expect(runPlugin(wait, makeTestContext(), { seconds: '5' })).rejects.toThrow(/seconds/);
  });
});
