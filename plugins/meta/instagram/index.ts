/** The instagram namespace: Reels through the Instagram Graph API. */
import { defineNamespace } from 'mpv2/plugin';
import { instagramConfigSchema } from './config.js';
import reels from './reels.js';

export default [reels];

export const namespace = defineNamespace({
  namespace: 'instagram',
  description: 'Instagram Reels through the Graph API',
  config: { schema: instagramConfigSchema },
  errors: {
    'instagram/PUBLISHING_LIMIT': { summary: 'the account published as many posts as the API allows in a moving 24 hours', hint: 'wait until the oldest is 24 hours old, or rotate to another account' },
    'instagram/CONTAINER_ERROR': { summary: 'Instagram could not process the video (container ERROR or EXPIRED); its reason is in the message', hint: 'check the video against docs/plugins/instagram.md; the next run makes a new container' },
  },
});
