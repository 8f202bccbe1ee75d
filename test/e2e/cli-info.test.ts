import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, json, makeProject, mpv2 } from './cli-harness.js';

interface Check { name: string; level: 'ok' | 'warn' | 'error'; message: string; hint?: string; plugins?: string[] }
interface Doctor { root: string; level: string; checks: Check[] }

beforeAll(async () => { await ensureBuilt(); }, 300_000);

describe('mpv2 config show', { timeout: 240_000 }, () => {
  it('prints values with their origin and hides secrets from env and .env', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'cache:\n  defaultTtl: 3d\n', '.env': 'MPV2_QUEUE__URL=redis://:dotenv-pass-4711@127.0.0.1:6379/0\n' });
    const env = { OPENAI_API_KEY: 'sk-e2e-very-secret-0042', MPV2_LOG__LEVEL: 'debug' };
    const r = await mpv2(['config', 'show'], { cwd: root, env });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('sk-e2e-very-secret-0042');
    expect(r.stdout).not.toContain('dotenv-pass-4711');
    expect(r.stdout).toMatch(/cache\.defaultTtl\s+3d\s+file \.mpv2rc\.yaml/);
    expect(r.stdout).toMatch(/log\.level\s+debug\s+env MPV2_LOG__LEVEL/);
    expect(r.stdout).toMatch(/queue\.url\s+\[REDACTED\]\s+env \.env MPV2_QUEUE__URL/);
    expect(r.stdout).toMatch(/llm\.providers\.openai\.apiKey\s+\[REDACTED\]\s+env OPENAI_API_KEY/);
    expect(r.stdout).toContain('Secrets set in the environment: OPENAI_API_KEY');
    const j = json<{ values: Array<{ path: string; value: unknown; origin: string }>; secrets: string[] }>(await mpv2(['config', 'show', '--json'], { cwd: root, env }));
    expect(j.values.find((v) => v.path === 'queue.url')?.value).toBe('[REDACTED]');
    expect(j.values.find((v) => v.path === 'runs.keep')).toEqual({ path: 'runs.keep', value: 50, origin: 'default' });
    expect(j.secrets).toContain('OPENAI_API_KEY');
    expect(JSON.stringify(j)).not.toContain('very-secret');
  });

  it('an invalid config exits 2 with the path of the wrong value', async () => {
    const root = makeProject({ '.mpv2rc.yaml': 'runs:\n  keep: many\n' });
    const r = await mpv2(['config', 'show'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_CONFIG_INVALID');
    expect(r.stderr).toContain('runs.keep');
  });
});

describe('mpv2 plugins', { timeout: 240_000 }, () => {
  it('list shows built-ins with their source and a broken module with its error', async () => {
    const root = makeProject({ 'bad.js': 'export default { id: "bad" };\n', '.mpv2rc.yaml': 'plugins:\n  - ./bad.js\n' });
    const r = await mpv2(['plugins', 'list'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/core\.set\s+1\.0\.0\s+builtin\s+Set named values/);
    expect(r.stdout).toContain('1 plugin module(s) failed to load');
    expect(r.stdout).toMatch(/✖ \.\/bad\.js: E_PLUGIN_LOAD .*`run` must be a function/);
    const j = json<{ plugins: Array<{ id: string; source: string; version: string }>; broken: Array<{ from: string; code: string }> }>(await mpv2(['plugins', 'list', '--json'], { cwd: root }));
    expect(j.plugins.find((p) => p.id === 'core.set')).toMatchObject({ source: 'builtin', version: '1.0.0' });
    expect(j.plugins.find((p) => p.id === 'http.request')).toMatchObject({ source: 'builtin' });
    expect(j.broken).toEqual([expect.objectContaining({ from: './bad.js', code: 'E_PLUGIN_LOAD' })]);
  });

  it('install runs npm on a local package and lists its plugins; bad names are refused', async () => {
    const root = makeProject({
      'vendor/greet/package.json': '{ "name": "mpv2-plugin-greet", "version": "1.2.3", "type": "module", "main": "index.js" }\n',
      'vendor/greet/index.js': 'export default [{ id: "greet.hello", version: "1.0.0", description: "Say hello", run: (_c, i) => ({ text: `hello ${i.name}` }) }];\n',
    });
    const r = await mpv2(['plugins', 'install', './vendor/greet'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('✔ mpv2-plugin-greet provides 1 plugin(s):');
    expect(r.stdout).toContain('greet.hello 1.0.0  Say hello\n    may read: greet config and secrets');
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies['mpv2-plugin-greet']).toBe('file:vendor/greet');
    const list = await mpv2(['plugins', 'list'], { cwd: root });
    expect(list.stdout).toMatch(/greet\.hello\s+1\.0\.0\s+package mpv2-plugin-greet@1\.2\.3\s+Say hello/);
    expect(list.stdout).toMatch(/What each plugin may read[^]*afm\.campaign\s+afm config and secrets · uses llm\n[^]*greet\.hello\s+greet config and secrets\n/);

    for (const bad of ['foo; touch pwned', '$(touch pwned)', 'Upper Case', '--global']) {
      const b = await mpv2(['plugins', 'install', '--', bad], { cwd: root });
      expect(b.code, bad).toBe(2);
      expect(b.stderr).toContain('E_USAGE');
    }
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });
});

describe('mpv2 schema', { timeout: 240_000 }, () => {
  it('plugin core.set prints its inputs and schemas; an unknown id suggests the nearest', async () => {
    const root = makeProject();
    const r = await mpv2(['schema', 'plugin', 'core.set'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('core.set 1.0.0 (built-in)');
    expect(r.stdout).toContain('Input schema:');
    expect(r.stdout).toContain('Output schema:');
    expect(r.stdout).toContain('Config schema (section `core`)');
    const http = await mpv2(['schema', 'plugin', 'http.request'], { cwd: root });
    expect(http.stdout).toMatch(/ {2}url: string, required\n\s+Absolute http\(s\) URL\./);
    expect(http.stdout).toContain('timeout: string | number, default 30s');
    const j = json<{ id: string; input: { type: string }; inputs: unknown[] }>(await mpv2(['schema', 'plugin', 'core.set', '--json'], { cwd: root }));
    expect(j).toMatchObject({ id: 'core.set', input: { type: 'object' } });
    const unknown = await mpv2(['schema', 'plugin', 'core.sett'], { cwd: root });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "core.set"?');
  });

  it('pipeline prints the pipeline schema; config includes the plugin sections', async () => {
    const root = makeProject();
    const p = json<{ title: string; properties: Record<string, unknown> }>(await mpv2(['schema', 'pipeline'], { cwd: root }));
    expect(p.title).toBe('mpv2 pipeline');
    expect(p.properties.steps).toBeDefined();
    const c = json<{ properties: Record<string, { properties?: Record<string, unknown> }> }>(await mpv2(['schema', 'config'], { cwd: root }));
    expect(c.properties.cache?.properties?.maxSize).toBeDefined();
    expect(c.properties.llm?.properties?.providers).toBeDefined();
    const out = await mpv2(['schema', 'config', '--out', 'schemas/config.json'], { cwd: root });
    expect(out.code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'schemas', 'config.json'), 'utf8')).properties.llm).toBeDefined();
  });
});

describe('mpv2 doctor', { timeout: 240_000 }, () => {
  it('--json lists the machine, project and plugin checks; the exit code follows the worst level', async () => {
    const root = makeProject();
    const r = await mpv2(['doctor', '--json'], { cwd: root });
    const d = json<Doctor>(r);
    const names = d.checks.map((c) => c.name);
    for (const n of ['node', 'ffmpeg', 'ffprobe', 'chromium', 'chromedriver', 'state folder', 'disk space', 'sqlite', 'config']) expect(names).toContain(n);
    expect(d.checks.every((c) => ['ok', 'warn', 'error'].includes(c.level) && c.message.length > 0)).toBe(true);
    expect(d.checks.find((c) => c.name === 'node')?.level).toBe('ok');
    expect(d.checks.find((c) => c.name === 'sqlite')?.level).toBe('ok');
    expect(d.checks.some((c) => c.plugins?.includes('llm.generate'))).toBe(true); // a plugin's own check ran
    expect(r.code).toBe(d.level === 'error' ? 1 : 0);
  });

  it('a broken plugin and an invalid config are errors (exit 1), not crashes', async () => {
    const root = makeProject({ 'bad.js': 'throw new Error("boom at import");\n', '.mpv2rc.yaml': 'plugins:\n  - ./bad.js\n' });
    const r = await mpv2(['doctor'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ plugin \.\/bad\.js\s+E_PLUGIN_LOAD .*boom at import/);
    expect(r.stdout).toMatch(/\d+ ok, \d+ warning\(s\), [1-9]\d* error\(s\)/);
    writeFileSync(join(root, '.mpv2rc.yaml'), 'cache:\n  maxSize: huge\n');
    const bad = json<Doctor>(await mpv2(['doctor', '--json'], { cwd: root }));
    expect(bad.checks.find((c) => c.name === 'config')).toMatchObject({ level: 'error' });
    expect(bad.checks.find((c) => c.name === 'config')?.message).toContain('cache.maxSize');
    expect(bad.checks.find((c) => c.name === 'ffmpeg')).toBeDefined(); // the other checks still ran
  });
});

describe('mpv2 init', { timeout: 240_000 }, () => {
  it('creates a working project, then refuses to overwrite without --force', async () => {
    const root = makeProject({ '.gitignore': 'node_modules' });
    const r = await mpv2(['init'], { cwd: root });
    expect(r.code).toBe(0);
    for (const f of ['.mpv2rc.yaml', 'pipelines/hello.yaml', '.env.example']) {
      expect(r.stdout).toContain(`created      ${f}`);
      expect(existsSync(join(root, f))).toBe(true);
    }
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules\n.mpv2/\n.env\n');
    expect(readFileSync(join(root, '.env.example'), 'utf8')).toMatch(/^OPENAI_API_KEY=$/m);

    const ran = await mpv2(['run', 'pipelines/hello.yaml', '-i', 'who=Ada'], { cwd: root });
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'out', 'hello.json'), 'utf8')).text).toBe('Hello, Ada!');

    writeFileSync(join(root, '.mpv2rc.yaml'), 'runs:\n  keep: 3\n');
    const again = await mpv2(['init'], { cwd: root });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('skipped      .mpv2rc.yaml: exists (use --force to overwrite)');
    expect(again.stdout).toContain('skipped      pipelines/hello.yaml');
    expect(readFileSync(join(root, '.mpv2rc.yaml'), 'utf8')).toBe('runs:\n  keep: 3\n');
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules\n.mpv2/\n.env\n'); // appended once

    const forced = await mpv2(['init', '--force'], { cwd: root });
    expect(forced.stdout).toContain('overwritten  .mpv2rc.yaml');
    expect(readFileSync(join(root, '.mpv2rc.yaml'), 'utf8')).toContain('mpv2 project config');
  });
});

describe('mpv2 init --template', { timeout: 240_000 }, () => {
  it('lists the shipped pipelines, and refuses an unknown one as a usage error naming them', async () => {
    const root = makeProject();
    const list = await mpv2(['init', '--template', 'list'], { cwd: root });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^youtube-short\s+\S/m);
    expect(list.stdout).not.toMatch(/^examples\//m); // data files beside the pipelines are not templates
    const bad = await mpv2(['init', '--template', 'nope'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('there is no template "nope"');
    expect(bad.stderr).toContain('youtube-short');
    expect(existsSync(join(root, '.mpv2rc.yaml'))).toBe(false);
  });

  it('every shipped pipeline, scaffolded into a new project with the files it names, validates there unchanged', async () => {
    const list = (await mpv2(['init', '--template', 'list'], { cwd: makeProject() })).stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]!);
    expect(list.length).toBeGreaterThanOrEqual(5);
    for (const name of list) {
      const root = makeProject();
      const r = await mpv2(['init', '--template', name], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`created      pipelines/${name}.yaml`);
      expect(readFileSync(join(root, 'pipelines', `${name}.yaml`), 'utf8')).not.toContain('../schemas');
      const v = await mpv2(['validate', `pipelines/${name}.yaml`], { cwd: root });
      expect(v.code, `${name}: ${v.stdout}${v.stderr}`).toBe(0);
    }
    const yt = makeProject();
    const r = await mpv2(['init', '--template', 'youtube-short'], { cwd: yt });
    expect(r.stdout).toContain('created      pipelines/prompts/short-script.md');
  });
});
