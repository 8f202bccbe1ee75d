/**
 * Instagram's Reels limits, checked with ffprobe before any network call so a clip Instagram
 * would refuse after a long upload fails in a second, naming the field and the limit.
 * Limits: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media#reel-specifications
 */
import { ffprobe, findFfmpeg } from 'mpv2/plugin';
import { invalid, rate, type VideoFacts } from '../video-file.js';

export { type VideoFacts } from '../video-file.js';

export const LIMITS = {
  minSeconds: 3,
  maxSeconds: 15 * 60,
  maxBytes: 300 * 1024 * 1024,
  maxWidth: 1920,
  minFps: 23,
  maxFps: 60,
  captionChars: 2200,
  hashtags: 30,
  mentions: 20,
} as const;

/** Probes the video and refuses what Instagram refuses (codec, duration, size, frame rate, width). */
export async function checkVideo(file: string, bytes: number, signal: AbortSignal): Promise<VideoFacts> {
  if (bytes > LIMITS.maxBytes) throw invalid('video', `is ${(bytes / 1048576).toFixed(0)} MB; Instagram takes Reels of at most 300 MB`, 'encode at a lower bitrate (video.render does 1080x1920 well under it)');
  const probe = await ffprobe(await findFfmpeg(), file, signal);
  const v = probe.streams.find((s) => s.codec_type === 'video');
  if (!v?.width || !v.height) throw invalid('video', `has no video stream: ${file}`, 'give an MP4 or MOV video');
  if (!['h264', 'hevc'].includes(v.codec_name)) throw invalid('video', `is ${v.codec_name}; Instagram takes H.264 or HEVC video`, 'encode with `-c:v libx264 -pix_fmt yuv420p`');
  const a = probe.streams.find((s) => s.codec_type === 'audio');
  if (a && a.codec_name !== 'aac') throw invalid('video', `has ${a.codec_name} audio; Instagram takes AAC`, 'encode with `-c:a aac`');
  const seconds = Number(probe.format.duration ?? v.duration);
  if (!Number.isFinite(seconds) || seconds < LIMITS.minSeconds || seconds > LIMITS.maxSeconds) {
    throw invalid('video', `lasts ${Number.isFinite(seconds) ? seconds.toFixed(1) : 'an unknown time'} s; Instagram takes Reels of 3 s to 15 min`, 'trim or extend the clip');
  }
  const fps = rate(v.avg_frame_rate) || rate(v.r_frame_rate);
  if (fps < LIMITS.minFps || fps > LIMITS.maxFps) throw invalid('video', `runs at ${fps.toFixed(2)} fps; Instagram takes 23 to 60`, 'encode with `-r 30`');
  if (v.width > LIMITS.maxWidth) throw invalid('video', `is ${v.width} px wide; Instagram takes at most 1920`, 'scale it down, e.g. to 1080x1920 (9:16 shows without bars)');
  return { bytes, seconds, width: v.width, height: v.height, fps };
}

/** The caption as posted: text, then the hashtags, then the marker line; within Instagram's counts. */
export function buildCaption(text: string, hashtags: string[], marker: string | undefined): string {
  const tags = [...new Set(hashtags.map((t) => t.trim().replace(/^#+/, '')).filter(Boolean))];
  for (const t of tags) if (/[\s#]/.test(t)) throw invalid('hashtags', `has ${JSON.stringify(t)}: a hashtag is one word without spaces`, 'write ["octopus", "sealife"]');
  const parts = [text.trim(), tags.map((t) => `#${t}`).join(' '), marker ?? ''].filter(Boolean);
  const caption = parts.join('\n\n');
  const hashtagCount = (caption.match(/(^|\s)#[^\s#]+/g) ?? []).length;
  if (hashtagCount > LIMITS.hashtags) throw invalid('hashtags', `makes ${hashtagCount} hashtags with the caption's own; Instagram allows at most ${LIMITS.hashtags}`, 'drop some hashtags');
  const mentions = (caption.match(/(^|\s)@\w/g) ?? []).length;
  if (mentions > LIMITS.mentions) throw invalid('caption', `mentions ${mentions} accounts; Instagram allows at most ${LIMITS.mentions}`, 'mention fewer accounts');
  const n = [...caption].length;
  if (n > LIMITS.captionChars) {
    throw invalid('caption', `is ${n} characters with its hashtags${marker ? ' and the marker line' : ''}; Instagram allows at most ${LIMITS.captionChars}`, 'shorten it, e.g. `${{ truncate(steps.meta.outputs.caption, 2000) }}`');
  }
  return caption;
}

export function checkCover(thumbOffsetMs: number | undefined, coverUrl: string | undefined, seconds: number): void {
  if (thumbOffsetMs !== undefined && thumbOffsetMs > seconds * 1000) throw invalid('thumbOffsetMs', `is ${thumbOffsetMs} ms, past the end of the ${seconds.toFixed(1)} s video`, 'pick a frame inside the clip');
  if (coverUrl !== undefined && !/^https?:\/\//.test(coverUrl)) throw invalid('coverUrl', `is not an http(s) URL: ${JSON.stringify(coverUrl)}`, 'Instagram fetches the cover itself: give a public JPEG URL');
}
