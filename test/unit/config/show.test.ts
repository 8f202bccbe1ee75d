import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { describeConfig, publicConfig } from '../../../src/config/show.js';
import { pluginEnv, pluginSchemas } from './fixtures.js';
import { makeProject } from './helpers.js';

describe('describeConfig', () => {
  it('lists every value with its origin and redacts secrets', async () => {
    const root = makeProject({
      '.mpv2rc.yaml': 'llm:\n  providers:\n    openai: { apiKey: sk-file-abcdef, baseUrl: "http://127.0.0.1:9" }\nqueue: { url: "redis://:pw@127.0.0.1:1" }\n',
    });
    const loaded = await loadConfig({ cwd: root, root, env: { PEXELS_API_KEY: 'px-env-key', MPV2_LOG__LEVEL: 'debug' }, flags: { 'runs.keep': 3 }, pluginSchemas, pluginEnv });
    const rows = describeConfig(loaded);
    const row = (p: string) => rows.find((r) => r.path === p);
    expect(row('llm.providers.openai.apiKey')).toEqual({ path: 'llm.providers.openai.apiKey', value: '[REDACTED]', origin: 'file .mpv2rc.yaml' });
    expect(row('llm.providers.openai.baseUrl')).toEqual({ path: 'llm.providers.openai.baseUrl', value: 'http://127.0.0.1:9', origin: 'file .mpv2rc.yaml' });
    expect(row('queue.url')?.value).toBe('[REDACTED]');
    expect(row('media.pexels.apiKey')).toEqual({ path: 'media.pexels.apiKey', value: '[REDACTED]', origin: 'env PEXELS_API_KEY' });
    expect(row('log.level')).toEqual({ path: 'log.level', value: 'debug', origin: 'env MPV2_LOG__LEVEL' });
    expect(row('runs.keep')).toEqual({ path: 'runs.keep', value: 3, origin: 'flag' });
    expect(row('cache.maxSize')).toEqual({ path: 'cache.maxSize', value: '2GB', origin: 'default' });
    expect(row('limits')).toEqual({ path: 'limits', value: {}, origin: 'default' });
    const text = JSON.stringify(rows);
    for (const s of ['sk-file-abcdef', 'px-env-key', ':pw@']) expect(text).not.toContain(s);
    expect(rows.map((r) => r.path)).toEqual([...rows.map((r) => r.path)].sort((a, b) => a.localeCompare(b)));
  });

  it('redacts a secret value that turns up under a non-secret key', () => {
    const rows = describeConfig({
      values: { llm: { note: 'key is sk-live-9999' } } as never,
      origins: { 'llm.note': 'flag' },
      secrets: { OPENAI_API_KEY: 'sk-live-9999' },
    });
    expect(rows).toEqual([{ path: 'llm.note', value: '[REDACTED]', origin: 'flag' }]);
  });

  it('publicConfig drops every secret path and keeps the rest', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'llm: { providers: { openai: { apiKey: sk-1234567, baseUrl: "http://h" } } }\nqueue: { url: "redis://h" }\n' });
    const loaded = await loadConfig({ cwd: root, root, env: { PEXELS_API_KEY: 'px-12345' }, pluginSchemas, pluginEnv });
    const pub = publicConfig(loaded);
    expect(pub.llm).toMatchObject({ providers: { openai: { baseUrl: 'http://h' } } });
    expect(JSON.stringify(pub)).not.toMatch(/sk-1234567|px-12345|redis:/);
    expect(pub.queue).toEqual({ holdWaitUpTo: '2m' }); // the url (a secret) is dropped
    expect((loaded.values.queue as { url: string }).url).toBe('redis://h');
  });
});
