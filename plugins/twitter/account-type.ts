/** The `twitter` account type: what `mpv2 accounts add twitter` asks for. */
import type { AccountType } from 'mpv2/plugin';
import { checkTwitterAccount } from './account-check.js';

export const twitterAccountType: AccountType = {
  platform: 'twitter',
  description: 'An X (Twitter) account: X API v2 keys (OAuth 1.0a or an OAuth 2.0 user token), or a browser profile signed in to x.com',
  browserLogin: true,
  check: (ctx) => checkTwitterAccount(ctx),
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      driver: { type: 'string', enum: ['api', 'browser'], default: 'api', description: 'Post through the X API (keys below) or through Chromium on the account profile (sign in once with `mpv2 accounts login`).' },
      handle: { type: 'string', description: 'The @name without @, used to build post links (optional: the API driver asks X when missing).' },
      loginUrl: { type: 'string', default: 'https://x.com/i/flow/login', description: 'Where `mpv2 accounts login` opens the browser.' },
      apiKey: { type: 'string', writeOnly: true, description: 'OAuth 1.0a consumer (API) key from the X developer portal.' },
      apiSecret: { type: 'string', writeOnly: true, description: 'OAuth 1.0a consumer (API) key secret.' },
      accessToken: { type: 'string', writeOnly: true, description: 'OAuth 1.0a access token of the account (read and write).' },
      accessSecret: { type: 'string', writeOnly: true, description: 'OAuth 1.0a access token secret.' },
      bearerToken: { type: 'string', writeOnly: true, description: 'OAuth 2.0 user-context access token (tweet.write users.read media.write), instead of the OAuth 1.0a keys.' },
    },
  },
};
