/** Post ids from URLs (`https://x.com/user/status/123`) or plain ids. */
import { mpv2Error } from 'mpv2/plugin';

/** `123`, `https://x.com/u/status/123?s=20`, `twitter.com/u/statuses/123` → `123`. */
export function postId(ref: string, field = 'replyTo'): string {
  const s = ref.trim();
  if (/^\d{1,25}$/.test(s)) return s;
  const m = /\/status(?:es)?\/(\d{1,25})(?:[/?#]|$)/.exec(s);
  if (m) return m[1]!;
  throw mpv2Error('E_PLUGIN_INPUT_INVALID', `expected \`${field}\` to be a post id or a post URL such as https://x.com/user/status/1234567890, got ${JSON.stringify(ref)}`);
}

/** The public link of a post. */
export function postUrl(webBaseUrl: string, id: string, handle?: string): string {
  return `${webBaseUrl.replace(/\/+$/, '')}/${handle ? handle.replace(/^@/, '') : 'i'}/status/${id}`;
}
