import { describe, expect, it } from 'vitest';
import { ReadyQueue } from '../../../src/engine/ready-queue.js';

const drain = (q: ReadyQueue): string[] => {
  const out: string[] = [];
  for (let id = q.take(); id !== undefined; id = q.take()) out.push(id);
  return out;
};

describe('ReadyQueue', () => {
  const deps: Record<string, string[]> = { a: [], b: ['a'], c: [], d: ['a', 'c', 'a'], e: ['d'] };
  const order = ['a', 'b', 'c', 'd', 'e'];

  it('starts with the steps that depend on nothing, in pipeline order', () => {
    expect(drain(new ReadyQueue(order, (id) => deps[id]!))).toEqual(['a', 'c']);
  });

  it('a step is ready once every dependency (counted once) has settled, and comes out in pipeline order', () => {
    const q = new ReadyQueue(order, (id) => deps[id]!);
    drain(q);
    q.settled('a');
    expect(drain(q)).toEqual(['b']);
    q.settled('c');
    expect(drain(q)).toEqual(['d']);
    q.settled('b');
    q.settled('d');
    expect(drain(q)).toEqual(['e']);
  });

  it('gives many ready steps back in pipeline order whatever order they became ready in', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `s${i}`);
    const q = new ReadyQueue(['root', ...ids], (id) => (id === 'root' ? [] : ['root']));
    expect(q.take()).toBe('root');
    q.settled('root');
    expect(drain(q)).toEqual(ids);
  });
});
