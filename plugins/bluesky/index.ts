/** The bluesky namespace: bluesky.post and what the namespace declares, for the registry. */
import { defineNamespace, type PluginDef } from 'mpv2/plugin';
import { blueskyConfigSchema } from './config.js';
import { blueskyErrors } from './errors.js';
import post from './post.js';

const plugins: PluginDef[] = [post];
export default plugins;

export const namespace = defineNamespace({
  namespace: 'bluesky',
  description: 'Post to Bluesky (AT Protocol)',
  config: { schema: blueskyConfigSchema },
  errors: blueskyErrors,
});
