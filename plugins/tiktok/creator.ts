/**
 * creator_info/query, asked before every direct post (TikTok requires it): which privacy levels
 * the creator may use, whether comments, duets and stitches can be on, and the longest video the
 * creator may post. What the account cannot do is refused here, before anything is uploaded.
 */
import { pluginError } from 'mpv2/plugin';
import type { TiktokApi } from './client.js';
import type { Prepared } from './prepare.js';
import type { UploadInput } from './schema.js';

export interface CreatorInfo {
  creator_username?: string;
  creator_nickname?: string;
  privacy_level_options?: string[];
  comment_disabled?: boolean;
  duet_disabled?: boolean;
  stitch_disabled?: boolean;
  max_video_post_duration_sec?: number;
}

export function queryCreator(api: TiktokApi): Promise<CreatorInfo> {
  return api.post<CreatorInfo>('/v2/post/publish/creator_info/query/', {}, 'creator_info/query');
}

/** Throws tiktok/NOT_ALLOWED naming the field when the creator cannot post this way. */
export function checkCreator(info: CreatorInfo, input: UploadInput, prep: Prepared, account: string): void {
  const no = (field: string, message: string, hint: string) => pluginError('tiktok/NOT_ALLOWED', `with.${field}: ${message} (tiktok account "${account}")`, { hint, details: { field } });
  const levels = info.privacy_level_options ?? [];
  if (!levels.includes(input.privacyLevel)) {
    throw no('privacyLevel', `${input.privacyLevel} is not one of the privacy levels TikTok allows this creator: ${levels.join(', ') || 'none'}`,
      input.privacyLevel !== 'SELF_ONLY' && levels.includes('SELF_ONLY') ? 'an unaudited app may only post SELF_ONLY: set privacyLevel: SELF_ONLY (and make the account private)' : `use one of ${levels.join(', ')}`);
  }
  if (info.comment_disabled && !input.disableComment) throw no('disableComment', 'the creator has comments turned off in TikTok', 'set disableComment: true');
  if (info.duet_disabled && !input.disableDuet) throw no('disableDuet', 'the creator has duets turned off in TikTok', 'set disableDuet: true');
  if (info.stitch_disabled && !input.disableStitch) throw no('disableStitch', 'the creator has stitches turned off in TikTok', 'set disableStitch: true');
  const max = info.max_video_post_duration_sec;
  if (max !== undefined && prep.source.kind === 'file' && prep.source.durationSec > max) {
    throw no('video', `the video lasts ${prep.source.durationSec.toFixed(1)} s; this creator may post at most ${max} s`, 'cut the video');
  }
}
