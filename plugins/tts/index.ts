/** The tts namespace: its plugins and what it declares, for the registry. */
import { defineNamespace } from 'mpv2/plugin';
import { ttsCheck } from './check.js';
import { ttsConfigSchema } from './config.js';
import speak from './speak.js';

export default [speak];

export const namespace = defineNamespace({
  namespace: 'tts',
  // the openai provider takes the OpenAI key by its own name (the llm section holds it too)
  config: { schema: ttsConfigSchema, env: { ELEVENLABS_API_KEY: 'elevenlabs.apiKey' }, secrets: ['OPENAI_API_KEY'] },
  doctorChecks: ttsCheck,
});
