/** Turns the step's text/thread/media into the list of posts to make, each checked for length. */
import { mpv2Error } from 'mpv2/plugin';
import type { TwitterPostInput } from './post.js';
import { checkPost, splitIntoPosts } from './length.js';
import { mediaType } from './media.js';

/** An item of twitter.post's `thread`. */
export type ThreadItem = NonNullable<TwitterPostInput['thread']>[number];

export interface PlannedPost {
  text: string;
  /** Absolute paths. */
  media: string[];
}

export function planPosts(o: { text?: string; thread?: ThreadItem[]; media?: string[]; split: boolean; max: number; resolve: (p: string) => string }): PlannedPost[] {
  const entries: Array<{ text: string; media: string[] }> = [];
  if (o.text !== undefined) entries.push({ text: o.text, media: o.media ?? [] });
  for (const t of o.thread ?? []) entries.push(typeof t === 'string' ? { text: t, media: [] } : { text: t.text, media: t.media ?? [] });
  if (o.text === undefined && entries[0] && o.media?.length) entries[0].media = [...o.media, ...entries[0].media];
  if (entries.length === 0) throw mpv2Error('E_PLUGIN_INPUT_INVALID', 'nothing to post: give `text` or `thread`');
  const posts: PlannedPost[] = [];
  entries.forEach((e, i) => {
    const what = entries.length > 1 ? `post ${i + 1} of the thread` : 'the post';
    if (e.text.trim() === '') throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} is empty`);
    const parts = o.split ? splitIntoPosts(e.text, o.max) : [e.text];
    // every part is checked as X will count it, so a split that went wrong fails here, not at X
    parts.forEach((text, j) => checkPost(text, o.max, parts.length > 1 ? `part ${j + 1} of ${what}` : what));
    const media = e.media.map((m) => o.resolve(m));
    checkMedia(media, what);
    parts.forEach((text, j) => posts.push({ text, media: j === 0 ? media : [] }));
  });
  return posts;
}

function checkMedia(files: string[], what: string): void {
  const types = files.map(mediaType);
  const videos = types.filter((t) => t.startsWith('video/') || t === 'image/gif').length;
  if (files.length > 4 || (videos > 0 && files.length > 1)) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} has ${files.length} media files; X takes up to 4 images, or 1 video or GIF, per post`, { hint: 'spread the media over the posts of a thread' });
  }
}
