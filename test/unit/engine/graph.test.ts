import { describe, expect, it } from 'vitest';
import { downstreamOf, topoOrder, type GraphNode } from '../../../src/engine/graph.js';
import { isMpv2Error } from '../../../src/errors.js';

const n = (id: string, ...deps: string[]): GraphNode => ({ id, deps });

describe('topoOrder', () => {
  it('puts every step after its dependencies', () => {
    const nodes = [n('video', 'voice', 'images'), n('images', 'script'), n('voice', 'script'), n('script')];
    const order = topoOrder(nodes);
    const at = (id: string) => order.indexOf(id);
    expect(order).toHaveLength(4);
    expect(at('script')).toBeLessThan(at('images'));
    expect(at('script')).toBeLessThan(at('voice'));
    expect(at('images')).toBeLessThan(at('video'));
    expect(at('voice')).toBeLessThan(at('video'));
  });

  it('keeps file order among independent steps', () => {
    expect(topoOrder([n('c'), n('a'), n('b')])).toEqual(['c', 'a', 'b']);
    expect(topoOrder([n('b', 'a'), n('a'), n('c')])).toEqual(['a', 'b', 'c']);
  });

  it('ignores dependencies on unknown ids (reported elsewhere)', () => {
    expect(topoOrder([n('a', 'ghost')])).toEqual(['a']);
  });

  it('reports a cycle with its path and location', () => {
    const loc = { file: 'p.yaml', line: 3, column: 5 };
    let err: unknown;
    try { topoOrder([n('start'), { id: 'a', deps: ['c'], loc }, n('b', 'a'), n('c', 'b')]); } catch (e) { err = e; }
    expect(isMpv2Error(err)).toBe(true);
    const e = err as { code: string; message: string; loc?: unknown };
    expect(e.code).toBe('E_CYCLE');
    expect(e.message).toMatch(/a → c → b → a/);
    expect(e.loc).toEqual(loc);
  });

  it('reports a two-step cycle', () => {
    expect(() => topoOrder([n('x', 'y'), n('y', 'x')])).toThrow(/x → y → x/);
  });
});

describe('downstreamOf', () => {
  const nodes = [n('a'), n('b', 'a'), n('c', 'b'), n('d'), n('e', 'd', 'c'), n('f', 'd')];
  it('holds the step and everything that depends on it, directly or not', () => {
    expect([...downstreamOf(nodes, 'b')].sort()).toEqual(['b', 'c', 'e']);
    expect([...downstreamOf(nodes, 'd')].sort()).toEqual(['d', 'e', 'f']);
  });
  it('a leaf is only itself', () => {
    expect([...downstreamOf(nodes, 'f')]).toEqual(['f']);
  });
});

describe('at scale', () => {
  // each step reads the one written after it: the walk goes 100,000 deep
  const lastFirst = Array.from({ length: 100_000 }, (_, i) => n(`s${i}`, ...(i < 99_999 ? [`s${i + 1}`] : [])));

  it('orders a chain written last-first without running out of stack', () => {
    const order = topoOrder(lastFirst);
    expect(order[0]).toBe('s99999');
    expect(order.at(-1)).toBe('s0');
  });

  it('finds a cycle at the end of a long chain', () => {
    const nodes = [...lastFirst.slice(0, -1), n('s99999', 's0')];
    expect(() => topoOrder(nodes)).toThrow(/^steps depend on each other in a cycle: s0 → s1 → .* → … 99981 more … → .* → s99999 → s0$/);
  });

  it('downstreamOf walks a long chain once', () => {
    expect(downstreamOf(lastFirst, 's99999').size).toBe(100_000);
  });
});
