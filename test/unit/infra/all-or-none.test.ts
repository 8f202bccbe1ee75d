import { describe, expect, it } from 'vitest';
import { allOrNone } from '../../../src/infra/all-or-none.js';

const until = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));

describe('allOrNone', () => {
  it('returns every result when all succeed', async () => {
    expect(await allOrNone(new AbortController().signal, () => [Promise.resolve(1), Promise.resolve('a')] as const)).toEqual([1, 'a']);
  });

  it('aborts the others when one fails, waits for them, and rethrows the first failure', async () => {
    let stopped = false;
    const run = allOrNone(new AbortController().signal, (signal) => [
      until(signal).finally(() => { stopped = true; }),
      Promise.reject(new Error('ffmpeg failed')),
    ] as const);
    await expect(run).rejects.toThrow('ffmpeg failed');
    expect(stopped).toBe(true);
  });

  it('passes the parent abort on to every task', async () => {
    const parent = new AbortController();
    const run = allOrNone(parent.signal, (signal) => [until(signal), until(signal)] as const);
    parent.abort();
    await expect(run).rejects.toThrow('aborted');
  });
});
