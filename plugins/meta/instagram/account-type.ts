/** The `instagram` account type: what `mpv2 accounts add instagram` stores. */
import type { AccountType } from 'mpv2/plugin';
import { checkInstagramAccount } from './account-check.js';

export const reloginHint = (name: string) =>
  `Meta gives no refresh token: make a new long-lived token for the Instagram account (Facebook Login for Business, docs/plugins/instagram.md) and store it with \`mpv2 accounts add instagram --name ${name} --update --secret accessToken=…\``;

export const instagramAccountType: AccountType = {
  platform: 'instagram',
  description: 'An Instagram professional (business or creator) account, published to through the Instagram Graph API with a long-lived user access token',
  check: (ctx) => checkInstagramAccount(ctx),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['userId', 'accessToken'],
    properties: {
      userId: { type: 'string', pattern: '^\\d+$', description: 'The Instagram professional account\'s id (IG user id), e.g. 17841400000000000.' },
      accessToken: { type: 'string', writeOnly: true, description: 'A long-lived user access token with instagram_basic and instagram_content_publish (Facebook Login for Business); it lasts about 60 days.' },
    },
  },
};
