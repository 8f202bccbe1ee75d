/**
 * `mpv2 doctor` for captions: whether the `local` transcription provider can run here — its
 * binding (whisper.cpp's npm package) loads and its model file is a whisper.cpp model. Missing
 * pieces are errors only when `local` is the configured provider.
 */
import { resolve } from 'node:path';
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import type { CaptionsConfig } from './config.js';
import { ModelFormatError, readWhisperModel } from './ggml-model.js';
import { MODEL_HINT } from './transcribe-local.js';
import { installHint, loadWhisperBinding, WHISPER_PACKAGE } from './whisper-binding.js';

export async function captionsCheck(ctx: CheckContext): Promise<CheckResult[]> {
  const cfg = (ctx.config as CaptionsConfig).transcription;
  const needed = cfg.provider === 'local';
  const unused = '; needed only for captions.transcribe with provider local';
  const line = (name: string, ok: boolean, message: string, hint: string): CheckResult => ({
    name: `captions: ${name}`,
    ok: ok || !needed,
    level: ok ? 'ok' : needed ? 'error' : 'ok',
    message: ok ? message : `${message}${needed ? '' : unused}`,
    ...(!ok && needed && { hint }),
  });

  let binding: CheckResult;
  try {
    binding = line('whisper.cpp binding', true, `${WHISPER_PACKAGE} loads (${loadWhisperBinding(ctx.root).path})`, '');
  } catch (e) {
    binding = line('whisper.cpp binding', false, (e as Error).message, (e as { hint?: string }).hint ?? installHint());
  }

  let model: CheckResult;
  if (!cfg.local.modelPath) {
    model = line('whisper.cpp model', false, 'captions.transcription.local.modelPath is not set', MODEL_HINT);
  } else {
    const file = resolve(ctx.root, cfg.local.modelPath);
    try {
      const m = await readWhisperModel(file);
      model = line('whisper.cpp model', true, `${cfg.local.modelPath}: ${m.size}, ${m.multilingual ? `${m.languages} languages` : 'English only'}, ${m.weights}, ${Math.round(m.bytes / 1e6)} MB`, '');
    } catch (e) {
      const why = e instanceof ModelFormatError ? `is not a whisper.cpp model: ${e.message}` : (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(e as Error).message}`;
      model = line('whisper.cpp model', false, `captions.transcription.local.modelPath: ${file} ${why}`, MODEL_HINT);
    }
  }
  return [binding, model];
}
