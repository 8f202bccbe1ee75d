/** The `facebook` account type: what `mpv2 accounts add facebook` stores. */
import type { AccountType } from 'mpv2/plugin';
import { checkFacebookAccount } from './account-check.js';

export const reloginHint = (name: string) =>
  `Meta gives no refresh token: make a new Page access token (Facebook Login for Business, docs/plugins/facebook.md) and store it with \`mpv2 accounts add facebook --name ${name} --update --secret pageAccessToken=…\``;

export const facebookAccountType: AccountType = {
  platform: 'facebook',
  description: 'A Facebook Page, published to through the Graph API with a Page access token',
  check: (ctx) => checkFacebookAccount(ctx),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['pageId', 'pageAccessToken'],
    properties: {
      pageId: { type: 'string', pattern: '^\\d+$', description: 'The Page\'s id.' },
      pageAccessToken: { type: 'string', writeOnly: true, description: 'A Page access token with pages_show_list, pages_read_engagement and pages_manage_posts, from a person who can create content on the Page (one made from a long-lived user token does not expire).' },
    },
  },
};
