/** The tiktok namespace: tiktok.upload and what the namespace declares, for the registry. */
import { defineNamespace, type PluginDef } from 'mpv2/plugin';
import { checkTiktok } from './check.js';
import { tiktokConfigSchema } from './config.js';
import { tiktokErrors } from './errors.js';
import upload from './upload.js';

const plugins: PluginDef[] = [upload];
export default plugins;

export const namespace = defineNamespace({
  namespace: 'tiktok',
  description: 'Post videos to TikTok (Content Posting API)',
  config: { schema: tiktokConfigSchema },
  errors: tiktokErrors,
  doctorChecks: checkTiktok,
});
