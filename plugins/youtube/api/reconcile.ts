/**
 * Finds an earlier upload of the same video on the account's channel (after a crash mid-upload):
 * channels.list → the uploads playlist → playlistItems.list → videos.list, matched by the
 * content-hash tag, else by exact title and a duration within 2 s. 3 quota units, no search.
 */
import type { YoutubeApi } from './client.js';
import type { VideoResource } from './resumable.js';

/** ISO 8601 duration (`PT1M5.5S`) → seconds. */
export function isoDurationSec(d: string | undefined): number | undefined {
  const m = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(d ?? '');
  if (!m || !d) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

export interface Wanted { title: string; hashTag?: string; durationSec?: number }

export function matches(v: VideoResource, w: Wanted): boolean {
  if (w.hashTag && v.snippet?.tags?.includes(w.hashTag)) return true;
  if (v.snippet?.title?.trim() !== w.title) return false;
  const d = isoDurationSec(v.contentDetails?.duration);
  // processing videos report P0D; a missing or zero duration does not rule a title match out
  return d === undefined || d === 0 || w.durationSec === undefined || Math.abs(d - w.durationSec) <= 2;
}

export async function findUploaded(api: YoutubeApi, apiBaseUrl: string, wanted: Wanted): Promise<VideoResource | undefined> {
  const ch = await api.call<{ items?: Array<{ id: string; contentDetails?: { relatedPlaylists?: { uploads?: string } } }> }>('channels.list', 'channels.list', {
    method: 'GET', url: `${apiBaseUrl}/channels`, params: { part: 'contentDetails', mine: true },
  });
  const uploads = ch.data.items?.[0]?.contentDetails?.relatedPlaylists?.uploads;
  if (!uploads) return undefined;
  const pl = await api.call<{ items?: Array<{ contentDetails?: { videoId?: string } }> }>('playlistItems.list', 'playlistItems.list', {
    method: 'GET', url: `${apiBaseUrl}/playlistItems`, params: { part: 'contentDetails', playlistId: uploads, maxResults: 50 },
  });
  const ids = (pl.data.items ?? []).map((i) => i.contentDetails?.videoId).filter((x): x is string => !!x);
  if (ids.length === 0) return undefined;
  const vs = await api.call<{ items?: VideoResource[] }>('videos.list', 'videos.list', {
    method: 'GET', url: `${apiBaseUrl}/videos`, params: { part: 'snippet,status,contentDetails', id: ids.join(','), maxResults: 50 },
  });
  return (vs.data.items ?? []).find((v) => matches(v, wanted));
}
