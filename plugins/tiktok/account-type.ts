/**
 * The `tiktok` account type: what `mpv2 accounts add tiktok` stores. The client key and secret
 * come from the app in the TikTok developer portal; the refresh token from the app's OAuth flow
 * (scopes video.upload and/or video.publish). TikTok rotates the refresh token on every refresh,
 * and the plugin stores each new one (with the access token) through `saveCredentials`.
 */
import type { AccountType } from 'mpv2/plugin';

export const tiktokAccountType: AccountType = {
  platform: 'tiktok',
  description: 'A TikTok creator account, through an app of yours on the Content Posting API (OAuth 2: client key and secret, refresh token)',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['clientKey', 'clientSecret', 'refreshToken'],
    properties: {
      clientKey: { type: 'string', writeOnly: true, description: 'Client key of your app (TikTok developer portal → your app → Credentials).' },
      clientSecret: { type: 'string', writeOnly: true, description: 'Client secret of that app.' },
      refreshToken: { type: 'string', writeOnly: true, description: 'A refresh token of the creator for that app (scopes video.upload, video.publish). mpv2 replaces it with each rotated one.' },
    },
  },
};
