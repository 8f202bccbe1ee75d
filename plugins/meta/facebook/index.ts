/** The facebook namespace: Page Reels through the Graph API. */
import { defineNamespace } from 'mpv2/plugin';
import { facebookConfigSchema } from './config.js';
import reels from './reels.js';

export default [reels];

export const namespace = defineNamespace({
  namespace: 'facebook',
  description: 'Facebook Page Reels through the Graph API',
  config: { schema: facebookConfigSchema },
  errors: {
    'facebook/PUBLISHING_LIMIT': { summary: 'the Page published as many Reels through the API as Meta allows in a moving 24 hours (30)', hint: 'wait until the oldest is 24 hours old, or rotate to another Page' },
    'facebook/VIDEO_ERROR': { summary: 'Facebook could not process the Reel\'s video; its reason is in the message', hint: 'check the video against docs/plugins/facebook.md; the next run uploads it again' },
  },
});
