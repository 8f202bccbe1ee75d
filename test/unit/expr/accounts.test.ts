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
