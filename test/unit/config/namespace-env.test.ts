/**
 * The environment variables moved from the core's table into the namespaces that read them:
 * each still lands where it did, and is still a secret under its own name.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { namespaceEnv } from '../../../src/config/namespaces.js';
import { openProject, pluginSchemas } from '../../../src/engine/project.js';
import { PluginRegistry } from '../../../src/plugin/registry.js';
import { makeProject } from './helpers.js';

/** The table `src/config/env.ts` held before the namespaces declared their variables. */
const BEFORE: Record<string, string> = {
  MISTRAL_API_KEY: 'llm.providers.mistral.apiKey',
  OPENAI_API_KEY: 'llm.providers.openai.apiKey',
  OPENROUTER_API_KEY: 'llm.providers.openrouter.apiKey',
  GROQ_API_KEY: 'llm.providers.groq.apiKey',
  DEEPSEEK_API_KEY: 'llm.providers.deepseek.apiKey',
  TOGETHER_API_KEY: 'llm.providers.together.apiKey',
  GEMINI_API_KEY: 'llm.providers.gemini.apiKey',
  VENICE_API_KEY: 'llm.providers.venice.apiKey',
  PEXELS_API_KEY: 'media.pexels.apiKey',
  PIXABAY_API_KEY: 'media.pixabay.apiKey',
  ELEVENLABS_API_KEY: 'tts.elevenlabs.apiKey',
  X_API_KEY: 'twitter.apiKey',
  X_API_SECRET: 'twitter.apiSecret',
  X_ACCESS_TOKEN: 'twitter.accessToken',
  X_ACCESS_SECRET: 'twitter.accessSecret',
  X_BEARER_TOKEN: 'twitter.bearerToken',
  SMTP_PASSWORD: 'outreach.smtp.password',
};
/** Secrets by name only before too: youtube's schema has no `apiKey`. */
const SECRET_ONLY = ['YOUTUBE_API_KEY'];

async function builtins() {
  const registry = await PluginRegistry.create({ root: mkdtempSync(join(tmpdir(), 'mpv2-env-')) });
  await registry.loadAll();
  return registry;
}

describe('environment variables declared by the namespaces', () => {
  it('map to the same settings as the old table, and are secrets under their own names', async () => {
    const { env } = namespaceEnv((await builtins()).namespaces().map((n) => n.def));
    const first = new Map<string, string>();
    for (const p of env.paths) if (!first.has(p.variable)) first.set(p.variable, p.path);
    expect(Object.fromEntries(first)).toEqual(BEFORE);
    expect([...env.secrets].sort()).toEqual([...Object.keys(BEFORE), ...SECRET_ONLY].sort());
  });

  it('a loaded namespace gets its variable as a value (with its origin) and as a secret', async () => {
    const registry = await builtins();
    const root = makeProject();
    const c = await loadConfig({ cwd: root, root, env: { SMTP_PASSWORD: 'smtp-pass-123', X_API_KEY: 'x-key-1234' }, pluginSchemas: pluginSchemas(registry), pluginEnv: namespaceEnv(registry.namespaces().map((n) => n.def)).env });
    expect(c.origins['outreach.smtp.password']).toBe('env SMTP_PASSWORD');
    expect(c.secrets).toMatchObject({ SMTP_PASSWORD: 'smtp-pass-123', 'outreach.smtp.password': 'smtp-pass-123', X_API_KEY: 'x-key-1234' });
  });

  it('a variable that fills a number or boolean setting becomes that type; text settings keep the text', async () => {
    const root = makeProject();
    const schema = { type: 'object', properties: { wpm: { type: 'integer', default: 150 }, fast: { type: 'boolean', default: false }, sep: { type: 'string', default: '-' } } };
    const ns = { namespace: 'demo', config: { schema, env: { DEMO_WPM: 'wpm', DEMO_FAST: 'fast', DEMO_SEP: 'sep' } } };
    const c = await loadConfig({ cwd: root, root, env: { DEMO_WPM: '200', DEMO_FAST: 'true', DEMO_SEP: '123' }, pluginSchemas: { demo: schema }, pluginEnv: namespaceEnv([ns]).env });
    expect((c.values as Record<string, unknown>).demo).toEqual({ wpm: 200, fast: true, sep: '123' });
  });

  it('a lazily opened project applies no variable of a namespace it has not loaded', async () => {
    const root = makeProject();
    const p = await openProject({ cwd: root, env: { PEXELS_API_KEY: 'px-key-1234', MPV2_MASTER_KEY: 'master-1234' }, lazyPlugins: true });
    try {
      expect((p.config.values as Record<string, unknown>).media).toBeUndefined();
      expect(p.config.secrets.MPV2_MASTER_KEY).toBe('master-1234');
      await p.registry.namespace('media');
      await p.refreshConfig();
      expect(p.config.origins['media.pexels.apiKey']).toBe('env PEXELS_API_KEY');
      expect(p.config.secrets.PEXELS_API_KEY).toBe('px-key-1234');
    } finally {
      p.close();
    }
  });

  it('a namespace may not claim one of mpv2 own variables', () => {
    const r = namespaceEnv([{ namespace: 'acme', config: { schema: { type: 'object', properties: { k: { type: 'string', writeOnly: true } } }, env: { MPV2_MASTER_KEY: 'k', REDIS_URL: 'k' }, secrets: ['MPV2_MASTER_KEY'] } }]);
    expect(r.env).toEqual({ paths: [], secrets: [] });
    expect(r.problems).toHaveLength(3);
  });
});
