/**
 * `provider: pixabay`: photos from `/api/` and clips from `/api/videos/`, orientation filter
 * for photos (Pixabay has none for videos: matching clips are preferred), uploader kept for
 * attribution. Limit name: `pixabay`. https://pixabay.com/api/docs/
 */
import { isMpv2Error, mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { requireKey, type MediaSettings } from '../settings.js';
import { pagedStream, streamCache } from '../streams.js';
import { asMpv2Error } from '../tries.js';
import { slugWords } from '../relevance.js';
import type { Aspect, Candidate, Provider, Slot, Target } from '../types.js';
import { download, needByQuery, perPage, pickRendition, requestJson, type RemoteContext } from './remote.js';

interface PixabayUser { id: number; user?: string; user_id?: number; pageURL: string; tags?: string }
interface PixabayImage extends PixabayUser { largeImageURL?: string; webformatURL?: string; fullHDURL?: string; imageURL?: string; imageWidth?: number; imageHeight?: number }
type Rendition = { url: string; width?: number; height?: number; size?: number };
interface PixabayVideo extends PixabayUser { duration?: number; videos?: Record<string, Rendition | undefined> }

const LICENSE = 'Pixabay Content License (https://pixabay.com/service/license-summary/)';
const ORIENTATION: Record<Aspect, string> = { '9:16': 'vertical', '16:9': 'horizontal', '1:1': 'all' };

const userUrl = (h: PixabayUser) => (h.user && h.user_id ? `https://pixabay.com/users/${encodeURIComponent(h.user)}-${h.user_id}/` : undefined);

export function pixabayProvider(ctx: StepContext, settings: MediaSettings, slots: Slot[], aspect: Aspect, target: Target): Provider {
  const key = requireKey(settings, 'pixabay', 'pixabay');
  const r: RemoteContext = { ctx, settings, limit: 'pixabay' };
  const need = needByQuery(slots);
  const base = settings.pixabay.baseUrl;
  // Pixabay answers a bad key with 400 "[ERROR 400] Invalid or missing API key": that is an auth error
  const search = async <T>(what: string, path: string, params: Record<string, unknown>): Promise<T> => {
    try {
      return await requestJson<T>(r, what, { url: `${base}${path}`, params: { key, safesearch: settings.pixabay.safesearch, ...params } });
    } catch (e) {
      const err = isMpv2Error(e) ? e : asMpv2Error(e, what);
      if (err.status === 400 && /\bkey\b/i.test(String(err.details?.answer ?? ''))) throw mpv2Error('E_AUTH', `${what}: Pixabay rejected the API key`, { status: 400, cause: err, hint: 'check PIXABAY_API_KEY (or media.pixabay.apiKey)' });
      throw err;
    }
  };
  const q = (query: string) => query.slice(0, 100); // Pixabay's limit

  const photos = (query: string) => pagedStream(async (page) => {
    const body = await search<{ hits?: PixabayImage[] }>(`pixabay search "${query}"`, '/api/', {
      q: q(query), image_type: 'photo', orientation: ORIENTATION[aspect], per_page: perPage(need.get(`photo|${query}`) ?? 1, 3, 200), page,
    });
    return (body.hits ?? []).flatMap((h): Candidate[] => {
      const url = h.fullHDURL ?? h.largeImageURL ?? h.webformatURL;
      if (!url) return [];
      return [{ key: `pixabay:${h.id}`, kind: 'image', source: 'pixabay', id: String(h.id), author: h.user ?? '', authorUrl: userUrl(h), url: h.pageURL, license: LICENSE, describedBy: `${h.tags ?? ''} ${slugWords(h.pageURL)}`, load: (signal) => download(ctx, url, signal) }];
    });
  }, 3);

  const videos = (query: string) => pagedStream(async (page) => {
    const body = await search<{ hits?: PixabayVideo[] }>(`pixabay video search "${query}"`, '/api/videos/', {
      q: q(query), video_type: 'film', per_page: perPage(need.get(`video|${query}`) ?? 1, 3, 200), page,
    });
    const dir = Math.sign(target.width - target.height);
    const items = (body.hits ?? []).flatMap((h) => {
      const file = pickRendition(Object.values(h.videos ?? {}).filter((v): v is Rendition => !!v?.url), target);
      if (!file) return [];
      const c: Candidate = { key: `pixabay-video:${h.id}`, kind: 'video', source: 'pixabay', id: String(h.id), author: h.user ?? '', authorUrl: userUrl(h), url: h.pageURL, license: LICENSE, describedBy: `${h.tags ?? ''} ${slugWords(h.pageURL)}`, load: (signal) => download(ctx, file.url, signal) };
      return [{ c, match: file.width && file.height ? Math.sign(file.width - file.height) === dir : false }];
    });
    return [...items.filter((x) => x.match), ...items.filter((x) => !x.match)].map((x) => x.c);
  }, 3);

  const stream = streamCache((k) => {
    const [want, ...rest] = k.split('|');
    const query = rest.join('|');
    return want === 'video' ? videos(query) : photos(query);
  });
  return { limit: 'pixabay', open: (slot) => stream(`${slot.want}|${slot.query}`) };
}
