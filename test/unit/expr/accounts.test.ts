/** `accounts(platform)`: names from the run's snapshot of the accounts store, argument checked. */
import { describe, expect, it } from 'vitest';
import { evaluateValue, FUNCTION_NAMES, type Scope } from '../../../src/engine/expr/index.js';

const scope: Scope = { accounts: { youtube: ['a', 'b'], tiktok: [] } };
const ev = (src: string, s: Scope = scope): unknown => evaluateValue(src, s);

describe('accounts()', () => {
  it('lists the platform\'s names, a fresh copy each time', () => {
    expect(FUNCTION_NAMES).toContain('accounts');
    expect(ev("${{ accounts('youtube') }}")).toEqual(['a', 'b']);
    expect(ev("${{ accounts('tiktok') }}")).toEqual([]);
    (ev("${{ accounts('youtube') }}") as string[]).push('x');
    expect(scope.accounts!.youtube).toEqual(['a', 'b']);
  });

  it('refuses a platform it does not know, with the near one and the known ones', () => {
    expect(() => ev("${{ accounts('youtub') }}")).toThrow(/accounts\(\) got the unknown platform 'youtub' \(did you mean `youtube`\?\); known platforms: tiktok, youtube/);
    expect(() => ev("${{ accounts('constructor') }}")).toThrow(/unknown platform 'constructor'/);
  });

  it('refuses an argument that is not a string, and a scope without a run', () => {
    expect(() => ev('${{ accounts(1) }}')).toThrow(/accounts\(\) expects a string as argument 1, got the number 1/);
    expect(() => ev("${{ accounts('youtube') }}", {})).toThrow(/only available while a pipeline runs/);
    expect(() => ev("${{ accounts() }}")).toThrow(/accounts\(\) takes 1 argument/);
  });
});

describe('zip() and mergeEach(): one record per foreach item', () => {
  const items: Scope = { inputs: { names: ['a', 'b', 'c'], outs: [{ url: 'u-a' }, null, { id: 'i-c' }], errs: [null, { code: 'E_X', message: 'no' }, null] } };
  it('lines lists up by index; a null list is empty; the longest sets the length', () => {
    expect(ev("${{ zip(['account', 'reason'], inputs.names, pluck(inputs.errs, 'message')) }}", items)).toEqual([
      { account: 'a', reason: null }, { account: 'b', reason: 'no' }, { account: 'c', reason: null }]);
    expect(ev("${{ mergeEach(zip(['account'], inputs.names), inputs.outs) }}", items)).toEqual([{ account: 'a', url: 'u-a' }, { account: 'b' }, { account: 'c', id: 'i-c' }]);
    expect(ev("${{ mergeEach(null, inputs.outs) }}", items)).toEqual([{ url: 'u-a' }, null, { id: 'i-c' }]);
    expect(ev("${{ zip(['k'], null) }}", items)).toEqual([]);
  });
  it('checks keys and lists', () => {
    expect(() => ev("${{ zip(['a', 'b'], inputs.names) }}", items)).toThrow(/zip\(\) expects as many keys as lists \(1\)/);
    expect(() => ev("${{ zip(['__proto__'], inputs.names) }}", items)).toThrow(/zip\(\) expects a list of keys/);
    expect(() => ev("${{ mergeEach(inputs.names, 'x') }}", items)).toThrow(/mergeEach\(\) expects a list \(or null\) as argument 2/);
    const merged = ev('${{ mergeEach(fromJSON(\'[{"__proto__": {"polluted": true}}]\')) }}', items) as Array<Record<string, unknown>>;
    expect(Object.getPrototypeOf(merged[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
