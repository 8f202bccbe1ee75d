/** The captions namespace: word timings for recordings of a known text (captions.align, and the `align` service) or of none (captions.transcribe). */
import { defineNamespace } from 'mpv2/plugin';
import align from './align.js';
import { captionsCheck } from './check.js';
import { captionsConfigSchema } from './config.js';
import transcribe from './transcribe.js';

export default [align, transcribe];

export const namespace = defineNamespace({
  namespace: 'captions',
  // OPENAI_API_KEY is the tts and media namespaces' too: read as a secret, claimed by none
  config: { schema: captionsConfigSchema, secrets: ['OPENAI_API_KEY'] },
  doctorChecks: captionsCheck,
  errors: {
    'captions/WHISPER_FAILED': { summary: 'whisper.cpp (the local transcription provider) failed while transcribing', hint: 'run with --verbose to see whisper.cpp\'s own messages' },
  },
});
