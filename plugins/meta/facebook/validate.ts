/**
 * Facebook's Page Reels limits, checked with ffprobe before any network call so a clip
 * Facebook would refuse fails in a second, naming the field and the limit.
 * Limits: https://developers.facebook.com/docs/video-api/guides/reels-publishing (3–90 s, 9:16,
 * at least 540x960, 24–60 fps).
 */
import { ffprobe, findFfmpeg } from 'mpv2/plugin';
import { invalid, rate, type VideoFacts } from '../video-file.js';

export { invalid, type VideoFacts } from '../video-file.js';

export const LIMITS = {
  minSeconds: 3,
  maxSeconds: 90,
  minWidth: 540,
  minHeight: 960,
  minFps: 24,
  maxFps: 60,
  /** How far from exactly 9:16 a size may be (encoders round to even pixels). */
  aspectTolerance: 0.01,
  /** Earliest and latest `publishAt` Meta accepts for a scheduled post. */
  scheduleMinMs: 10 * 60_000,
  scheduleMaxMs: 29 * 86_400_000,
} as const;

/** Probes the video and refuses what Facebook refuses (duration, 9:16, resolution, frame rate). */
export async function checkVideo(file: string, bytes: number, signal: AbortSignal): Promise<VideoFacts> {
  const probe = await ffprobe(await findFfmpeg(), file, signal);
  const v = probe.streams.find((s) => s.codec_type === 'video');
  if (!v?.width || !v.height) throw invalid('video', `has no video stream: ${file}`, 'give an MP4 (H.264, AAC) video');
  const seconds = Number(probe.format.duration ?? v.duration);
  if (!Number.isFinite(seconds) || seconds < LIMITS.minSeconds || seconds > LIMITS.maxSeconds) {
    throw invalid('video', `lasts ${Number.isFinite(seconds) ? seconds.toFixed(1) : 'an unknown time'} s; Facebook takes Reels of 3 to 90 s`, 'trim or extend the clip');
  }
  if (Math.abs(v.width / v.height - 9 / 16) > LIMITS.aspectTolerance) throw invalid('video', `is ${v.width}x${v.height}; Facebook Reels must be 9:16 (portrait)`, 'render or crop to 1080x1920 (or at least 540x960)');
  if (v.width < LIMITS.minWidth || v.height < LIMITS.minHeight) throw invalid('video', `is ${v.width}x${v.height}; Facebook takes Reels of at least 540x960`, 'render at 1080x1920');
  const fps = rate(v.avg_frame_rate) || rate(v.r_frame_rate);
  if (fps < LIMITS.minFps || fps > LIMITS.maxFps) throw invalid('video', `runs at ${fps.toFixed(2)} fps; Facebook takes 24 to 60`, 'encode with `-r 30`');
  return { bytes, seconds, width: v.width, height: v.height, fps };
}

/** The description as posted: text, then the hashtags, then the marker line. */
export function buildDescription(text: string, hashtags: string[], marker: string | undefined): string {
  const tags = [...new Set(hashtags.map((t) => t.trim().replace(/^#+/, '')).filter(Boolean))];
  for (const t of tags) if (/[\s#]/.test(t)) throw invalid('hashtags', `has ${JSON.stringify(t)}: a hashtag is one word without spaces`, 'write ["octopus", "sealife"]');
  return [text.trim(), tags.map((t) => `#${t}`).join(' '), marker ?? ''].filter(Boolean).join('\n\n');
}

/** `publishAt` → Unix seconds for `scheduled_publish_time`, inside the window Meta accepts. */
export function checkPublishAt(publishAt: string | undefined, draft: boolean, now = Date.now()): number | undefined {
  if (publishAt === undefined || publishAt === '') return undefined;
  if (draft) throw invalid('publishAt', 'cannot go with draft: true (a Reel is either a draft or scheduled)', 'drop one of them');
  const t = Date.parse(publishAt);
  if (Number.isNaN(t)) throw invalid('publishAt', `is not a date and time: ${JSON.stringify(publishAt)}`, 'use ISO 8601 with a zone, e.g. 2030-01-31T18:00:00Z');
  if (t < now + LIMITS.scheduleMinMs) throw invalid('publishAt', `is ${new Date(t).toISOString()}, less than 10 minutes from now`, 'schedule at least 10 minutes ahead, or leave publishAt out to publish now');
  if (t > now + LIMITS.scheduleMaxMs) throw invalid('publishAt', `is ${new Date(t).toISOString()}, more than 29 days from now`, 'Meta schedules Page posts at most about a month ahead');
  return Math.floor(t / 1000);
}
