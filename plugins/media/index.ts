import { defineNamespace, type PluginDef } from 'mpv2/plugin';
import { checkMedia } from './check.js';
import { mediaConfigSchema } from './config.js';
import fetchImages from './fetch-images.js';

/** The built-in `media` namespace. */
const plugins: PluginDef[] = [fetchImages];
export default plugins;

export const namespace = defineNamespace({
  namespace: 'media',
  config: { schema: mediaConfigSchema, env: { PEXELS_API_KEY: 'pexels.apiKey', PIXABAY_API_KEY: 'pixabay.apiKey' }, secrets: ['OPENAI_API_KEY'] },
  doctorChecks: checkMedia,
});
