import { defineNamespace } from 'mpv2/plugin';
import { checkVideoTools } from './check.js';
import { videoConfigSchema, type VideoConfig } from './config.js';
import render from './render.js';

export default [render];

export const namespace = defineNamespace({
  namespace: 'video',
  config: { schema: videoConfigSchema },
  doctorChecks: (ctx) => checkVideoTools(ctx.config as VideoConfig),
});
