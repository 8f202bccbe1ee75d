/** The bluesky namespace's error codes (raised with `pluginError`), with what they mean. */
export const blueskyErrors = {
  'bluesky/INPUT': { summary: 'a value of `with` breaks one of Bluesky\'s limits (300 graphemes, image or video size, duration, count)', hint: 'the message names the field; see docs/plugins/bluesky.md' },
  'bluesky/AUTH': { summary: 'Bluesky refused the handle and app password, or the session', hint: 'create an app password (Settings → Privacy and security → App passwords) and store it with `mpv2 accounts add bluesky --name N --update --secret appPassword=…`' },
  'bluesky/VIDEO_LIMIT': { summary: 'the account may not upload this video today (daily videos or bytes used up, or the email is not verified)', hint: 'verify the account\'s email, wait until tomorrow, or rotate to another account' },
  'bluesky/VIDEO_FAILED': { summary: 'the video service could not process the video (its job failed); nothing was posted', hint: 'the message holds the service\'s reason; re-encode the video as H.264 MP4' },
  'bluesky/STILL_PROCESSING': { summary: 'the video was still processing when the step stopped waiting; nothing was posted and the next run picks the job up', hint: 'run again later, or raise bluesky.maxPolls' },
  'bluesky/REPLY_PARENT': { summary: 'the post to reply to cannot be found', hint: 'give the at:// URI of an existing post as replyTo' },
  'bluesky/API': { summary: 'the PDS refused the request with an error this plugin does not know', hint: 'the message holds the XRPC error name' },
} as const;
