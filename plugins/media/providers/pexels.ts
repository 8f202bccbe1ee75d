/**
 * `provider: pexels`: photos from `/v1/search` and clips from `/videos/search`, with the
 * orientation filter and the photographer kept for attribution. Limit name: `pexels`.
 * https://www.pexels.com/api/documentation/
 */
import type { StepContext } from 'mpv2/plugin';
import { requireKey, type MediaSettings } from '../settings.js';
import { pagedStream, streamCache } from '../streams.js';
import { slugWords } from '../relevance.js';
import type { Aspect, Candidate, Provider, Slot, Target } from '../types.js';
import { download, needByQuery, orientationOf, perPage, pickRendition, requestJson, type RemoteContext } from './remote.js';

interface PexelsPhoto {
  id: number;
  width: number;
  height: number;
  url: string;
  photographer: string;
  photographer_url?: string;
  alt?: string;
  src: { original?: string; large2x?: string; large?: string; portrait?: string; landscape?: string };
}
interface PexelsVideo {
  id: number;
  width: number;
  height: number;
  url: string;
  duration?: number;
  user?: { name?: string; url?: string };
  video_files: Array<{ id?: number; quality?: string | null; file_type?: string; width?: number | null; height?: number | null; link: string }>;
}

const LICENSE = 'Pexels License (https://www.pexels.com/license/)';

/** The original, resized by Pexels' image CDN just enough to cover the target (smart crop is ours). */
export function photoUrl(p: PexelsPhoto, target: Target): string | undefined {
  const src = p.src.original ?? p.src.large2x ?? p.src.portrait ?? p.src.large;
  if (!src || !p.src.original) return src;
  try {
    const u = new URL(src);
    u.searchParams.set('auto', 'compress');
    u.searchParams.set('cs', 'tinysrgb');
    const wider = p.width / p.height > target.width / target.height;
    u.searchParams.set(wider ? 'h' : 'w', String(wider ? target.height : target.width));
    return u.toString();
  } catch {
    return src;
  }
}

export function pexelsProvider(ctx: StepContext, settings: MediaSettings, slots: Slot[], aspect: Aspect, target: Target): Provider {
  const key = requireKey(settings, 'pexels', 'pexels');
  const r: RemoteContext = { ctx, settings, limit: 'pexels' };
  const need = needByQuery(slots);
  const headers = { Authorization: key };
  const base = settings.pexels.baseUrl;

  const photos = (query: string) => pagedStream(async (page) => {
    const body = await requestJson<{ photos?: PexelsPhoto[] }>(r, `pexels search "${query}"`, {
      url: `${base}/v1/search`, headers, params: { query, orientation: orientationOf(aspect), per_page: perPage(need.get(`photo|${query}`) ?? 1, 5, 80), page },
    });
    return (body.photos ?? []).flatMap((p): Candidate[] => {
      const url = photoUrl(p, target);
      if (!url) return [];
      return [{ key: `pexels:${p.id}`, kind: 'image', source: 'pexels', id: String(p.id), author: p.photographer ?? '', authorUrl: p.photographer_url, url: p.url, license: LICENSE, describedBy: `${p.alt ?? ''} ${slugWords(p.url)}`, load: (signal) => download(ctx, url, signal) }];
    });
  }, 3);

  const videos = (query: string) => pagedStream(async (page) => {
    const body = await requestJson<{ videos?: PexelsVideo[] }>(r, `pexels video search "${query}"`, {
      url: `${base}/videos/search`, headers, params: { query, orientation: orientationOf(aspect), per_page: perPage(need.get(`video|${query}`) ?? 1, 5, 80), page },
    });
    return (body.videos ?? []).flatMap((v): Candidate[] => {
      const file = pickRendition(v.video_files.filter((f) => !f.file_type || f.file_type === 'video/mp4'), target);
      if (!file) return [];
      return [{ key: `pexels-video:${v.id}`, kind: 'video', source: 'pexels', id: String(v.id), author: v.user?.name ?? '', authorUrl: v.user?.url, url: v.url, license: LICENSE, describedBy: slugWords(v.url), load: (signal) => download(ctx, file.link, signal) }];
    });
  }, 3);

  const stream = streamCache((k) => {
    const [want, ...rest] = k.split('|');
    const query = rest.join('|');
    return want === 'video' ? videos(query) : photos(query);
  });
  return { limit: 'pexels', open: (slot) => stream(`${slot.want}|${slot.query}`) };
}
