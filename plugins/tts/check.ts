/** `mpv2 doctor` for tts: which espeak-ng engine runs here, its voices, and the online keys. */
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import type { TtsConfig } from './config.js';
import { espeakVoices, selectEspeak } from './espeak.js';
import { wasmVersion } from './espeak-wasm.js';

export async function ttsCheck(ctx: CheckContext): Promise<CheckResult[]> {
  const cfg = ctx.config as TtsConfig;
  const out: CheckResult[] = [];
  try {
    const sel = await selectEspeak(cfg.espeak.engine, cfg.espeak.libPath);
    const voices = await espeakVoices(sel);
    const what = sel.lib ? `libespeak-ng ${sel.lib.version} through koffi (exact word times)` : `npm espeak-ng ${await wasmVersion()} (WebAssembly, estimated word times)`;
    out.push({
      name: 'tts: espeak-ng',
      ok: true,
      level: sel.lib ? 'ok' : 'warn',
      message: `engine ${sel.engine}: ${what}, ${voices.length} voices`,
      ...(sel.fallbackReason && { hint: `for exact word times install libespeak-ng1 (apt-get install espeak-ng); ${sel.fallbackReason}` }),
    });
  } catch (e) {
    out.push({ name: 'tts: espeak-ng', ok: false, level: 'error', message: (e as Error).message, hint: (e as { hint?: string }).hint });
  }
  const keys: Array<[string, string, string | undefined]> = [
    ['elevenlabs', 'ELEVENLABS_API_KEY', cfg.elevenlabs.apiKey],
    ['openai', 'OPENAI_API_KEY', cfg.openai.apiKey],
  ];
  for (const [name, env, configured] of keys) {
    const has = Boolean(ctx.secrets[env] ?? configured);
    const needed = cfg.provider === name;
    out.push({
      name: `tts: ${name}`,
      ok: has || !needed,
      level: has ? 'ok' : needed ? 'error' : 'ok',
      message: has ? 'API key configured' : `no API key (${env})${needed ? ', but it is the default provider' : '; not needed unless a step uses it'}`,
      ...(!has && needed && { hint: `set ${env} or tts.${name}.apiKey` }),
    });
  }
  return out;
}
