/**
 * The `bluesky` account type: the handle (not secret) and an app password (secret). App
 * passwords can post but cannot change the account's settings or password.
 */
import type { AccountType } from 'mpv2/plugin';
import { checkBlueskyAccount } from './account-check.js';

export const blueskyAccountType: AccountType = {
  platform: 'bluesky',
  description: 'A Bluesky (AT Protocol) account: handle and app password',
  check: (ctx) => checkBlueskyAccount(ctx),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['handle', 'appPassword'],
    properties: {
      handle: { type: 'string', minLength: 3, description: 'The handle (alice.bsky.social) or the DID of the account.' },
      appPassword: { type: 'string', writeOnly: true, pattern: '^\\S+$', description: 'An app password (Settings → Privacy and security → App passwords), never the account password.' },
    },
  },
};
