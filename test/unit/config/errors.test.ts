import { describe, expect, it } from 'vitest';
import { isMpv2Error, type Mpv2Error } from '../../../src/errors.js';
import { loadConfig, type LoadConfigOptions } from '../../../src/config/load.js';
import { pluginSchemas } from './fixtures.js';
import { makeProject } from './helpers.js';

async function failure(files: Record<string, string>, o: Partial<LoadConfigOptions> = {}): Promise<Mpv2Error> {
  const root = makeProject(files);
  try {
    await loadConfig({ cwd: root, root, env: {}, pluginSchemas, ...o });
  } catch (e) {
    if (isMpv2Error(e)) return e;
    throw e;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig: wrong values', () => {
  it('lists every wrong value of a YAML file with file:line:col, path, expectation and value', async () => {
    const e = await failure({
      '.mpv2rc.yaml': [
        'log:',
        '  level: loud',
        'cache:',
        '  maxSize: lots',
        'runs: { keep: -1 }',
        'limits:',
        '  llm: { rate: 30 per minute, concurrency: 0 }',
        'concurrency: "4"',
      ].join('\n'),
    });
    expect(e.code).toBe('E_CONFIG_INVALID');
    const lines = e.message.split('\n').slice(1).map((l) => l.trim());
    expect(lines).toEqual(expect.arrayContaining([
      '.mpv2rc.yaml:2:10: log.level must be one of "trace", "debug", "info", "warn", "error", "silent" (got "loud")',
      '.mpv2rc.yaml:4:12: cache.maxSize must be a size such as 2GB or 500MB (got "lots")',
      '.mpv2rc.yaml:5:15: runs.keep must be >= 0 (got -1)',
      '.mpv2rc.yaml:7:16: limits.llm.rate must be a rate such as 30/minute (per second, minute, hour or day) (got "30 per minute")',
      '.mpv2rc.yaml:7:44: limits.llm.concurrency must be >= 1 (got 0)',
      '.mpv2rc.yaml:8:14: concurrency must be integer (got "4")',
    ]));
    expect(lines).toHaveLength(6);
    expect(e.message.split('\n')[0]).toBe('the config has 6 wrong values:');
    expect(e.loc).toMatchObject({ line: 2, column: 10 });
    expect(e.hint).toContain('mpv2 config show');
  });

  it('locates values in JSON files and package.json#mpv2', async () => {
    const json = await failure({ '.mpv2rc.json': '{\n  "runs": {\n    "keep": "many"\n  }\n}\n' });
    expect(json.message).toContain('.mpv2rc.json:3:13: runs.keep must be integer (got "many")');
    const pkg = await failure({ 'package.json': '{\n  "name": "x",\n  "mpv2": { "log": { "level": 3 } }\n}\n' });
    expect(pkg.message).toContain('package.json:3:31: log.level must be string (got 3)');
  });

  it('names the variable or flag a wrong value came from', async () => {
    const e = await failure({}, { env: { MPV2_RUNS__KEEP: 'abc' }, flags: { 'cache.enabled': 'yes' } });
    expect(e.message).toContain('env MPV2_RUNS__KEEP: runs.keep must be integer (got "abc")');
    expect(e.message).toContain('flag: cache.enabled must be boolean (got "yes")');
  });

  it('reports unknown keys with the nearest known one', async () => {
    const e = await failure({ '.mpv2rc.yaml': 'chache: { enabled: false }\nlog: { levle: debug }\nacme: { x: 1 }\n' });
    expect(e.message).toContain('.mpv2rc.yaml:1:1: unknown key "chache" (did you mean "cache"?); allowed: plugins, paths, concurrency, limits, cache, ffmpeg, browser, log, runs, http, queue, approvals, llm, media');
    expect(e.message).toContain('.mpv2rc.yaml:2:8: unknown key "levle" in log (did you mean "level"?); allowed: level');
    expect(e.message).toMatch(/\.mpv2rc\.yaml:3:1: unknown key "acme"; allowed:/);
  });

  it('reports unknown keys set by a flag', async () => {
    const e = await failure({}, { flags: { 'cache.maxsize': '1GB' } });
    expect(e.message).toContain('flag: unknown key "maxsize" in cache (did you mean "maxSize"?)');
  });

  it('never prints a secret value in an error', async () => {
    const e = await failure({ '.mpv2rc.yaml': 'queue: { url: "http://user:hunter2hunter2@db:6379" }\nllm: { providers: { openai: { apiKey: 12345678 } } }\n' });
    expect(e.message).toContain('queue.url must be a redis:// or rediss:// URL (got [REDACTED])');
    expect(e.message).toContain('llm.providers.openai.apiKey must be string (got [REDACTED])');
    expect(e.message).not.toContain('hunter2');
    expect(e.message).not.toContain('12345678');
    expect(JSON.stringify(e.details)).not.toContain('hunter2');
  });
});

describe('loadConfig: hostile keys', () => {
  it('refuses __proto__ in a file', async () => {
    const e = await failure({ '.mpv2rc.json': '{ "__proto__": { "polluted": 1 } }' });
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['log:\n  level: !!binary aGVsbG8=\n', 2, 10, /tag !!binary is not allowed/],
    ['concurrency: .inf\n', 1, 14, /\.inf is not a number JSON can hold/],
    ['a: &a [*a]\n', 1, 8, /refers to a value that contains it/],
    ['log:\n  constructor: 1\n', 2, 3, /key "constructor" is not allowed/],
  ])('refuses YAML values JSON cannot hold, at file:line:col: %s', async (text, line, column, message) => {
    const e = await failure({ '.mpv2rc.yaml': text });
    expect(e).toMatchObject({ code: 'E_CONFIG_INVALID', loc: { line, column } });
    expect(e.message).toMatch(message);
  });
});
