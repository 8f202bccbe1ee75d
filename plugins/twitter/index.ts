/** The twitter namespace: posting to X. */
import { defineNamespace, type PluginDef } from 'mpv2/plugin';
import { checkTwitter } from './check.js';
import { twitterConfigSchema } from './config.js';
import post from './post.js';

const plugins: PluginDef[] = [post];
export default plugins;

export const namespace = defineNamespace({
  namespace: 'twitter',
  // the default account's keys (used when a step names no `account`)
  config: {
    schema: twitterConfigSchema,
    env: { X_API_KEY: 'apiKey', X_API_SECRET: 'apiSecret', X_ACCESS_TOKEN: 'accessToken', X_ACCESS_SECRET: 'accessSecret', X_BEARER_TOKEN: 'bearerToken' },
  },
  doctorChecks: checkTwitter,
});
