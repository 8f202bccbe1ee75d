/** The youtube namespace: its plugins and what it declares, for the registry. */
import { defineNamespace } from 'mpv2/plugin';
import { youtubeConfigSchema } from './config.js';
import upload from './upload.js';

export default [upload];

export const namespace = defineNamespace({
  namespace: 'youtube',
  // an API key is a secret to keep out of logs even where no setting takes it
  config: { schema: youtubeConfigSchema, secrets: ['YOUTUBE_API_KEY'] },
});
