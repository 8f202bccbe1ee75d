/** The captions namespace: word timings for recordings of a known text (captions.align, and the `align` service). */
import { defineNamespace } from 'mpv2/plugin';
import align from './align.js';
import { captionsConfigSchema } from './config.js';

export default [align];

export const namespace = defineNamespace({
  namespace: 'captions',
  config: { schema: captionsConfigSchema },
});
