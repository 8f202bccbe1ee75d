/**
 * Turns provider names into ready-to-call providers: config entry + preset + key from the
 * environment. Knows which providers are available and says how to add one when none is.
 */
import { mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import { llmConfig, PROVIDER_TIMEOUT, type ProviderConfig } from './config.js';
import { ENV_PRESET_ORDER, PRESETS, TYPE_DEFAULTS } from './presets.js';
import type { ProviderRef, ResolvedProvider } from './types.js';

export interface ResolveEnv {
  config: Readonly<Record<string, unknown>>;
  secrets: Readonly<Record<string, string>>;
}

/** Every provider usable right now: configured ones in config order, then env presets. */
export function availableProviders(env: ResolveEnv): string[] {
  const cfg = llmConfig(env.config);
  const names = Object.keys(cfg.providers);
  for (const p of ENV_PRESET_ORDER) {
    const keyEnv = PRESETS[p]!.keyEnv!;
    if (!names.includes(p) && env.secrets[keyEnv]) names.push(p);
  }
  return names;
}

/** The ordered chain a request will try, each with the model it will use. */
export function resolveChain(env: ResolveEnv, ref: ProviderRef | ProviderRef[] | undefined, model?: string): Array<{ provider: ResolvedProvider; model: string }> {
  const cfg = llmConfig(env.config);
  let refs: ProviderRef[];
  if (ref !== undefined) refs = Array.isArray(ref) ? ref : [ref];
  else if (cfg.defaultProvider !== undefined) refs = Array.isArray(cfg.defaultProvider) ? cfg.defaultProvider : [cfg.defaultProvider];
  else {
    const first = availableProviders(env)[0];
    if (!first) throw noProviderError();
    refs = [first];
  }
  if (refs.length === 0) throw mpv2Error('E_INPUT_INVALID', 'expected `provider` to name at least one provider, got an empty list');
  return refs.map((r) => {
    const name = typeof r === 'string' ? r : r.name;
    const provider = resolveProvider(env, name);
    return { provider, model: (typeof r === 'object' ? r.model : undefined) ?? model ?? provider.model };
  });
}

export function resolveProvider(env: ResolveEnv, name: string): ResolvedProvider {
  const cfg = llmConfig(env.config);
  const own: ProviderConfig | undefined = cfg.providers[name];
  const preset = PRESETS[name];
  if (!own && !(preset?.keyEnv && env.secrets[preset.keyEnv])) {
    const known = availableProviders(env);
    if (preset?.keyEnv) {
      throw mpv2Error('E_MISSING_KEY', `LLM provider "${name}" needs an API key: ${preset.keyEnv} is not set`, {
        hint: `set ${preset.keyEnv} (environment or .env), or add llm.providers.${name}.apiKey to .mpv2rc`,
      });
    }
    if (preset) {
      throw mpv2Error('E_CONFIG_INVALID', `LLM provider "${name}" is a local server that must be switched on in the config`, {
        hint: `add \`llm: { providers: { ${name}: { type: ${preset.type} } } }\` to .mpv2rc (base URL ${preset.baseUrl})`,
      });
    }
    throw mpv2Error('E_CONFIG_INVALID', `unknown LLM provider "${name}"${known.length ? ` (configured: ${known.join(', ')})` : ''}`, {
      hint: `add it under llm.providers in .mpv2rc, e.g. \`${name}: { type: openai, baseUrl: https://…/v1, model: … }\``,
    });
  }
  const type = own?.type ?? preset?.type ?? 'openai';
  // a preset's URL and model only apply when the entry keeps the preset's protocol
  const base = preset && preset.type === type ? preset : undefined;
  const baseUrl = (own?.baseUrl ?? base?.baseUrl ?? TYPE_DEFAULTS[type].baseUrl).replace(/\/+$/, '');
  const model = own?.model ?? base?.model ?? TYPE_DEFAULTS[type].model;
  if (!model) {
    throw mpv2Error('E_CONFIG_INVALID', `LLM provider "${name}" has no model`, { hint: `set llm.providers.${name}.model, or \`model:\` on the step` });
  }
  const keyEnv = base?.keyEnv;
  const apiKey = (keyEnv ? env.secrets[keyEnv] : undefined) ?? env.secrets[`llm.providers.${name}.apiKey`] ?? own?.apiKey;
  if (!apiKey && keyEnv && base && baseUrl === base.baseUrl) {
    throw mpv2Error('E_MISSING_KEY', `LLM provider "${name}" needs an API key: ${keyEnv} is not set`, {
      hint: `set ${keyEnv} (environment or .env), or add llm.providers.${name}.apiKey to .mpv2rc`,
    });
  }
  return {
    name,
    type,
    baseUrl,
    model,
    apiKey: apiKey || undefined,
    keyEnv,
    headers: { ...(own?.headers ?? {}) },
    timeoutMs: parseDuration(own?.timeout ?? PROVIDER_TIMEOUT, `llm.providers.${name}.timeout`),
  };
}

export function noProviderError() {
  const envs = ENV_PRESET_ORDER.map((p) => PRESETS[p]!.keyEnv!).join(', ');
  return mpv2Error('E_MISSING_KEY', [
    'no LLM provider is configured. Any one of these works:',
    `  - put an API key in the environment or .env: ${envs}`,
    '  - name a provider under llm.providers in .mpv2rc, e.g. `openai: { baseUrl: https://api.groq.com/openai/v1, model: llama-3.1-8b-instant, apiKey: … }`',
    '  - run a local Ollama (https://ollama.com, `ollama pull llama3.2`) and add `llm: { providers: { ollama: { type: ollama } } }` to .mpv2rc',
  ].join('\n'), { hint: 'docs/plugins/llm.md#providers lists every provider and its settings' });
}
