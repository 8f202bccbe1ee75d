import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMpv2Error, type Mpv2Error } from '../../../src/errors.js';
import { loadConfig, type LoadConfigOptions } from '../../../src/config/load.js';
import { pluginEnv, pluginSchemas } from './fixtures.js';
import { makeProject } from './helpers.js';

const load = (root: string, o: Partial<LoadConfigOptions> = {}) => loadConfig({ cwd: root, root, env: {}, pluginSchemas, pluginEnv, ...o });

async function failure(p: Promise<unknown>): Promise<Mpv2Error> {
  try { await p; } catch (e) { if (isMpv2Error(e)) return e; throw e; }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig: files', () => {
  it('fills defaults when there is no config file', async () => {
    const root = makeProject();
    const c = await load(root);
    expect(c.file).toBeUndefined();
    expect(c.root).toBe(root);
    expect(c.values.cache).toEqual({ enabled: true, maxSize: '2GB', defaultTtl: '7d' });
    expect(c.values.concurrency).toBe(availableParallelism());
    expect(c.values.log.level).toBe('info');
    expect(c.values.runs.keep).toBe(50);
    expect(c.values.llm).toMatchObject({ defaultProvider: 'mistral', temperature: 0.7 });
    expect(c.origins['cache.maxSize']).toBe('default');
    expect(c.origins.concurrency).toBe('default');
  });

  const yaml = 'runs:\n  keep: 7\n';
  const cases: Array<[string, Record<string, string>]> = [
    ['.mpv2rc', { '.mpv2rc': yaml }],
    ['.mpv2rc.json', { '.mpv2rc.json': '{ "runs": { "keep": 7 } }' }],
    ['.mpv2rc.yaml', { '.mpv2rc.yaml': yaml }],
    ['.mpv2rc.yml', { '.mpv2rc.yml': yaml }],
    ['.mpv2rc.js', { '.mpv2rc.js': 'module.exports = { runs: { keep: 7 } };' }],
    ['.mpv2rc.mjs', { '.mpv2rc.mjs': 'export default { runs: { keep: 7 } };' }],
    ['.mpv2rc.cjs', { '.mpv2rc.cjs': 'module.exports = { runs: { keep: 7 } };' }],
    ['mpv2.config.js', { 'package.json': '{ "type": "module" }', 'mpv2.config.js': 'export default { runs: { keep: 7 } };' }],
    ['mpv2.config.mjs', { 'mpv2.config.mjs': 'export default { runs: { keep: 7 } };' }],
    ['mpv2.config.cjs', { 'mpv2.config.cjs': 'module.exports = { runs: { keep: 7 } };' }],
    ['package.json', { 'package.json': '{ "name": "x", "mpv2": { "runs": { "keep": 7 } } }' }],
  ];
  it.each(cases)('reads %s', async (name, files) => {
    const root = makeProject(files);
    const c = await load(root);
    expect(c.file).toBe(join(root, name));
    expect(c.values.runs.keep).toBe(7);
    expect(c.origins['runs.keep']).toBe(`file ${name}`);
    expect(c.origins['log.level']).toBe('default');
  });

  it('searches from cwd up to the root, nearest file first, never above the root', async () => {
    const top = makeProject({ '.mpv2rc.yaml': 'runs: { keep: 1 }', 'proj/package.json': '{}', 'proj/a/b/': '' });
    const root = join(top, 'proj');
    expect((await load(root, { cwd: join(root, 'a/b') })).file).toBeUndefined();
    const withRoot = makeProject({ '.mpv2rc.yaml': 'runs: { keep: 2 }', 'a/.mpv2rc.json': '{"runs":{"keep":3}}', 'a/b/': '' });
    expect((await load(withRoot, { cwd: join(withRoot, 'a/b') })).values.runs.keep).toBe(3);
    const c = await load(withRoot, { cwd: join(withRoot, 'elsewhere/../') });
    expect(c.values.runs.keep).toBe(2);
  });

  it('refuses a JS config that exports a function', async () => {
    const root = makeProject({ '.mpv2rc.mjs': 'export default () => ({ runs: { keep: 1 } });' });
    const e = await failure(load(root));
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toContain('.mpv2rc.mjs: the default export is a function');
  });

  it('reports YAML syntax errors with line and column', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'log:\n  level: [debug\n' });
    const e = await failure(load(root));
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toMatch(/^\.mpv2rc\.yaml:\d+:\d+: /);
    expect(e.loc?.file).toBe(join(root, '.mpv2rc.yaml'));
  });

  it('ignores $schema in a config file', async () => {
    const root = makeProject({ '.mpv2rc.json': '{ "$schema": "./schemas/config.schema.json", "runs": { "keep": 4 } }' });
    const c = await load(root);
    expect(c.values.runs.keep).toBe(4);
    expect(c.values.$schema).toBeUndefined();
  });
});

describe('loadConfig: precedence', () => {
  it('flag > env > .env > file > default, with origins', async () => {
    const root = makeProject({
      '.mpv2rc.yaml': 'log: { level: warn }\nruns: { keep: 10 }\ncache: { maxSize: 1GB, defaultTtl: 1d }\nbrowser: { headless: false }\n',
      '.env': 'MPV2_RUNS__KEEP=20\nMPV2_CACHE__MAX_SIZE=3GB\nMPV2_BROWSER__HEADLESS=true\n',
    });
    const env = { MPV2_CACHE__MAX_SIZE: '4GB', MPV2_LOG__LEVEL: 'error' };
    const c = await load(root, { env, flags: { 'log.level': 'debug' } });
    expect(c.values.log.level).toBe('debug');
    expect(c.origins['log.level']).toBe('flag');
    expect(c.values.cache.maxSize).toBe('4GB');
    expect(c.origins['cache.maxSize']).toBe('env MPV2_CACHE__MAX_SIZE');
    expect(c.values.runs.keep).toBe(20);
    expect(c.origins['runs.keep']).toBe('env .env MPV2_RUNS__KEEP');
    expect(c.values.browser.headless).toBe(true);
    expect(c.values.cache.defaultTtl).toBe('1d');
    expect(c.origins['cache.defaultTtl']).toBe('file .mpv2rc.yaml');
    expect(c.values.cache.enabled).toBe(true);
    expect(c.origins['cache.enabled']).toBe('default');
  });

  it('does not touch process.env when reading .env', async () => {
    const root = makeProject({ '.env': 'MPV2_TEST_ONLY_VARIABLE_XYZ=1\n' });
    await load(root);
    expect(process.env.MPV2_TEST_ONLY_VARIABLE_XYZ).toBeUndefined();
  });

  it('flags may set whole objects and keep typed values', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'limits: { llm: { rate: 10/minute, concurrency: 1 } }' });
    const c = await load(root, { flags: { limits: { llm: { concurrency: 3 } }, concurrency: 2, 'paths.allow': ['/data'] } });
    expect(c.values.limits.llm).toEqual({ rate: '10/minute', concurrency: 3 });
    expect(c.origins['limits.llm.rate']).toBe('file .mpv2rc.yaml');
    expect(c.origins['limits.llm.concurrency']).toBe('flag');
    expect(c.values.concurrency).toBe(2);
    expect(c.values.paths.allow).toEqual(['/data']);
  });
});

describe('loadConfig: MPV2_ variables', () => {
  it('maps double underscores to nesting, camel-cases keys and parses JSON', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'limits: { my_api: { rate: 1/second } }' });
    const c = await load(root, {
      env: {
        MPV2_LLM__DEFAULT_PROVIDER: 'openai',
        MPV2_LLM__TEMPERATURE: '0.2',
        MPV2_CACHE__ENABLED: 'false',
        MPV2_PLUGINS: '["mpv2-plugin-a", "./local"]',
        MPV2_LIMITS__MY_API__CONCURRENCY: '4',
        MPV2_CONCURRENCY: '3',
      },
    });
    expect(c.values.llm).toMatchObject({ defaultProvider: 'openai', temperature: 0.2 });
    expect(c.values.cache.enabled).toBe(false);
    expect(c.values.plugins).toEqual(['mpv2-plugin-a', './local']);
    expect(c.values.limits.my_api).toEqual({ rate: '1/second', concurrency: 4 });
    expect(c.values.concurrency).toBe(3);
    expect(c.origins['llm.defaultProvider']).toBe('env MPV2_LLM__DEFAULT_PROVIDER');
  });

  it('keeps a string setting a string even when it looks like JSON', async () => {
    const c = await load(makeProject(), { env: { MPV2_LLM__DEFAULT_PROVIDER: '123' } });
    expect(c.values.llm).toMatchObject({ defaultProvider: '123' });
  });

  it('warns about a variable that names no setting instead of failing', async () => {
    const c = await load(makeProject(), { env: { MPV2_CAHCE__ENABLED: 'false' } });
    expect(c.values.cache.enabled).toBe(true);
    expect(c.warnings.join('\n')).toMatch(/MPV2_CAHCE__ENABLED names no config setting.*did you mean MPV2_CACHE__/);
  });

  it('takes JSON objects, and an explicit MPV2_ variable beats a well-known one', async () => {
    const c = await load(makeProject(), {
      env: { MPV2_LIMITS__LLM: '{"rate":"2/second","burst":4}', PEXELS_API_KEY: 'px-well-known', MPV2_MEDIA__PEXELS__API_KEY: 'px-explicit' },
    });
    expect(c.values.limits.llm).toEqual({ rate: '2/second', burst: 4 });
    expect(c.origins['limits.llm.burst']).toBe('env MPV2_LIMITS__LLM');
    expect(c.values.media).toEqual({ pexels: { apiKey: 'px-explicit' } });
    expect(c.secrets).toMatchObject({ 'media.pexels.apiKey': 'px-explicit', PEXELS_API_KEY: 'px-well-known' });
  });

  it('FFMPEG_PATH sets ffmpeg.path', async () => {
    const c = await load(makeProject(), { env: { FFMPEG_PATH: '/opt/ffmpeg' } });
    expect(c.values.ffmpeg.path).toBe('/opt/ffmpeg');
    expect(c.origins['ffmpeg.path']).toBe('env FFMPEG_PATH');
  });
});

describe('loadConfig: secrets', () => {
  it('collects well-known env keys and every writeOnly value', async () => {
    const root = makeProject({
      '.mpv2rc.yaml': 'llm:\n  providers:\n    openai: { apiKey: sk-file-123456, baseUrl: http://127.0.0.1:1 }\nqueue: { url: "redis://:pw-secret@127.0.0.1:6379" }\n',
      '.env': 'PEXELS_API_KEY=px-dotenv-key\n',
    });
    const c = await load(root, { env: { MISTRAL_API_KEY: 'ms-env-key', ELEVENLABS_API_KEY: 'el-key-1', MPV2_MASTER_KEY: 'master-key-1' } });
    expect(c.secrets).toMatchObject({
      'llm.providers.openai.apiKey': 'sk-file-123456',
      'llm.providers.mistral.apiKey': 'ms-env-key',
      'media.pexels.apiKey': 'px-dotenv-key',
      'queue.url': 'redis://:pw-secret@127.0.0.1:6379',
      MISTRAL_API_KEY: 'ms-env-key',
      PEXELS_API_KEY: 'px-dotenv-key',
      ELEVENLABS_API_KEY: 'el-key-1',
      MPV2_MASTER_KEY: 'master-key-1',
    });
    expect(c.secrets['llm.providers.openai.baseUrl']).toBeUndefined();
    // mapped where the schema has a place for it, with its origin
    expect((c.values.media as { pexels: { apiKey: string } }).pexels.apiKey).toBe('px-dotenv-key');
    expect(c.origins['media.pexels.apiKey']).toBe('env .env PEXELS_API_KEY');
    expect(c.origins['llm.providers.mistral.apiKey']).toBe('env MISTRAL_API_KEY');
    // no tts section is loaded, so ELEVENLABS_API_KEY stays a secret only
    expect(c.values.tts).toBeUndefined();
    expect(Object.keys(c.origins).some((k) => k.includes('master'))).toBe(false);
  });

  it('REDIS_URL sets queue.url', async () => {
    const c = await load(makeProject(), { env: { REDIS_URL: 'redis://127.0.0.1:6390' } });
    expect(c.values.queue.url).toBe('redis://127.0.0.1:6390');
    expect(c.secrets).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6390', 'queue.url': 'redis://127.0.0.1:6390' });
  });
});

describe('.mpv2rc.example', () => {
  it('is a valid config that states the defaults', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../../../.mpv2rc.example', import.meta.url), 'utf8');
    const root = makeProject({ '.mpv2rc.yaml': example });
    const c = await loadConfig({ cwd: root, root, env: {} });
    const defaults = await loadConfig({ cwd: makeProject(), root: makeProject(), env: {} });
    expect(c.values).toEqual(defaults.values);
    expect(Object.values(c.origins)).toContain('file .mpv2rc.yaml');
  });
});
