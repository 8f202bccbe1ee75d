import { describe, expect, it } from 'vitest';
import { LayeredConfig } from '../../../src/config/merge.js';

describe('LayeredConfig', () => {
  it('merges objects key by key and replaces arrays and scalars, tracking origins', () => {
    const c = new LayeredConfig();
    c.apply({ limits: {}, paths: { allow: ['a'] }, cache: { enabled: true, maxSize: '2GB' } }, 'default');
    c.apply({ limits: { llm: { rate: '1/second' } }, paths: { allow: ['b', 'c'] }, cache: { maxSize: '1GB' } }, 'file x');
    c.apply({ limits: {} }, 'flag');
    expect(c.values).toEqual({ limits: { llm: { rate: '1/second' } }, paths: { allow: ['b', 'c'] }, cache: { enabled: true, maxSize: '1GB' } });
    expect(c.origins).toEqual({ 'limits.llm.rate': 'file x', 'paths.allow': 'file x', 'cache.enabled': 'default', 'cache.maxSize': 'file x' });
    expect(c.originOf('limits.llm')).toBe('file x');
    c.set(['cache'], 'off', 'flag');
    expect(c.values.cache).toBe('off');
    expect(c.origins['cache.maxSize']).toBeUndefined();
    expect(c.origins.cache).toBe('flag');
  });

  it('refuses prototype keys', () => {
    expect(() => new LayeredConfig().set(['__proto__', 'x'], 1, 'flag')).toThrow(/not allowed/);
  });
});
