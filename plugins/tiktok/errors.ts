/** The tiktok namespace's error codes (raised with `pluginError`), with what they mean. */
export const tiktokErrors = {
  'tiktok/INPUT': { summary: 'a value of `with` breaks one of TikTok\'s limits (size, duration, caption length, source)', hint: 'the message names the field; see docs/plugins/tiktok.md' },
  'tiktok/NOT_ALLOWED': { summary: 'the creator account cannot post with these settings (privacy level, comments, duet, stitch, duration), as creator_info says', hint: 'use a setting the account allows, or change it in the TikTok app' },
  'tiktok/AUTH': { summary: 'TikTok refused the OAuth client, the refresh token or the scopes of the account', hint: 'store a new refresh token with `mpv2 accounts add tiktok --name N --update --secret refreshToken=…`' },
  'tiktok/DAILY_LIMIT': { summary: 'TikTok refused the post: the creator or the app reached a daily limit (posts per day, or 5 users a day for an unaudited app)', hint: 'try again tomorrow, rotate to another account, or have the app audited' },
  'tiktok/UNAUDITED': { summary: 'an unaudited app may only post SELF_ONLY to private accounts', hint: 'set privacyLevel: SELF_ONLY and make the account private, or have the app audited' },
  'tiktok/URL_UNVERIFIED': { summary: 'PULL_FROM_URL needs a URL prefix verified with TikTok', hint: 'verify the domain in the developer portal and list it in tiktok.verifiedUrlPrefixes, or upload the file' },
  'tiktok/PUBLISH_FAILED': { summary: 'TikTok reported the post FAILED (its fail_reason says why); nothing was posted', hint: 'fix what the reason names and run again' },
  'tiktok/STILL_PROCESSING': { summary: 'TikTok had not finished the post when the step stopped waiting; the next run asks again by its publish_id', hint: 'run again later, or raise tiktok.maxPolls' },
  'tiktok/API': { summary: 'the Content Posting API answered with an error this plugin does not know', hint: 'the message holds TikTok\'s code and log id' },
} as const;
