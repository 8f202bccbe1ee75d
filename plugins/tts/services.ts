/**
 * What the tts namespace offers other plugins (declare `uses: ['tts']`):
 * `ctx.services.tts.reference({ text, voice?, rate? })`, a narration with exact word times
 * (captions.align aligns recordings against it).
 */
import type { ServiceFn } from 'mpv2/plugin';
import { referenceSpeech } from './reference.js';

export const ttsServices = {
  reference: referenceSpeech,
} satisfies Record<string, ServiceFn>;
