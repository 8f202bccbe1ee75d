/** `mpv2 doctor`: one cheap request (the model list) per available provider. */
import { isMpv2Error } from 'mpv2/plugin';
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import { DRIVERS } from './providers/index.js';
import { availableProviders, noProviderError, resolveProvider } from './resolve.js';

export async function checkProviders(ctx: CheckContext): Promise<CheckResult[]> {
  const names = availableProviders(ctx);
  if (names.length === 0) {
    const e = noProviderError();
    return [{ name: 'llm', ok: false, level: 'warn', message: e.message, hint: e.hint }];
  }
  return Promise.all(names.map(async (name): Promise<CheckResult> => {
    const label = `llm provider ${name}`;
    try {
      const p = resolveProvider(ctx, name);
      const models = await DRIVERS[p.type].listModels({ http: ctx.http }, p, ctx.signal);
      const has = models.includes(p.model) || models.some((m) => m.startsWith(`${p.model}:`));
      if (!has && models.length > 0) {
        return { name: label, ok: true, level: 'warn', message: `${p.type} at ${p.baseUrl} answers, but model "${p.model}" is not among its ${models.length} models (${models.slice(0, 8).join(', ')}${models.length > 8 ? ', …' : ''})`, hint: `set llm.providers.${name}.model${p.type === 'ollama' ? `, or \`ollama pull ${p.model}\`` : ''}` };
      }
      return { name: label, ok: true, level: 'ok', message: `${p.type} at ${p.baseUrl}: model "${p.model}"${models.length ? ` (${models.length} models)` : ''}` };
    } catch (e) {
      const err = isMpv2Error(e) ? e : undefined;
      if (err?.status === 404) {
        // the model list itself is missing: the URL is wrong, not the model
        return { name: label, ok: false, level: 'error', message: `the server has no model list where expected (404): ${err.message.replace(/^model "[^"]*" was not found at /, '')}`, hint: 'check baseUrl (OpenAI-compatible servers usually end in /v1; Ollama and Mistral take the bare host)' };
      }
      return { name: label, ok: false, level: 'error', message: err ? `${err.code} ${err.message}` : String(e), hint: err?.hint };
    }
  }));
}
