/**
 * A Pexels API subset on 127.0.0.1: `GET /v1/search` and `GET /videos/search` with the
 * `Authorization: <key>` header, `photos[].src.{original,large2x,portrait}` and
 * `videos[].video_files[]`, plus the image CDN (`/photos/<id>.png`, `/videos/<id>-<w>x<h>.mp4`).
 */
import { colorPng, json, scripted, sendFile, startServer, tinyMp4, type Script, type TestServer } from './images-common.js';

export interface FakePhoto {
  id: number;
  photographer: string;
  color: string;
  width?: number;
  height?: number;
  /** The photo's `alt` text, as Pexels writes it ("Brown Rocks During Golden Hour"); default `photo <id>`. */
  alt?: string;
  /** Words of the photo page's slug (`/photo/<slug>-<id>/`), as Pexels' page URLs carry them. */
  slug?: string;
  /** Scripted answers of the image URL, e.g. ['404*']. */
  script?: Script;
}

export interface FakeVideo {
  id: number;
  user: string;
  /** Renditions offered (the server makes real 1 s clips of these sizes). */
  files: Array<{ width: number; height: number; quality: string }>;
  script?: Script;
}

export interface PexelsOptions {
  key: string;
  photos: Record<string, FakePhoto[]>;
  videos?: Record<string, FakeVideo[]>;
  /** Scripted answers of the search endpoints, e.g. ['429', '500']. */
  searchScript?: Script;
  /**
   * Holds image answers until this many image requests are waiting, then answers them all:
   * downloads that finish prove that many ran at once (with fewer at once they would wait
   * for ever, i.e. until the test's timeout), without a delay that "gives time" to overlap.
   */
  imageBatch?: number;
}

export async function startPexels(opts: PexelsOptions): Promise<TestServer> {
  const byId = new Map<number, FakePhoto>();
  for (const list of Object.values(opts.photos)) for (const p of list) byId.set(p.id, p);
  const videoById = new Map<number, FakeVideo>();
  for (const list of Object.values(opts.videos ?? {})) for (const v of list) videoById.set(v.id, v);
  const held: Array<() => void> = [];
  const server: TestServer = await startServer(async (req, res) => {
    const base = server.url;
    if (req.path === '/v1/search' || req.path === '/videos/search') {
      if (req.headers.authorization !== opts.key) return json(res, 401, { error: 'Unauthorized' });
      if (scripted(res, opts.searchScript)) return;
      const perPage = Number(req.query.per_page ?? 15);
      const page = Number(req.query.page ?? 1);
      const slice = <T>(all: T[]) => all.slice((page - 1) * perPage, page * perPage);
      if (req.path === '/v1/search') {
        const photos = slice(opts.photos[req.query.query ?? ''] ?? []).map((p) => ({
          id: p.id,
          width: p.width ?? 3000,
          height: p.height ?? 4500,
          url: p.slug ? `https://www.pexels.com/photo/${p.slug}-${p.id}/` : `https://www.pexels.com/photo/${p.id}/`,
          photographer: p.photographer,
          photographer_url: `https://www.pexels.com/@${p.photographer.toLowerCase().replace(/\s+/g, '-')}`,
          photographer_id: p.id * 10,
          avg_color: p.color,
          alt: p.alt ?? `photo ${p.id}`,
          src: {
            original: `${base}/photos/${p.id}.png`,
            large2x: `${base}/photos/${p.id}.png?w=940`,
            portrait: `${base}/photos/${p.id}.png?fit=crop&h=1200&w=800`,
          },
        }));
        return json(res, 200, { page, per_page: perPage, photos, total_results: (opts.photos[req.query.query ?? ''] ?? []).length });
      }
      const videos = slice(opts.videos?.[req.query.query ?? ''] ?? []).map((v) => ({
        id: v.id,
        width: v.files[0]!.width,
        height: v.files[0]!.height,
        url: `https://www.pexels.com/video/${v.id}/`,
        duration: 1,
        user: { id: v.id * 10, name: v.user, url: `https://www.pexels.com/@${v.user.toLowerCase()}` },
        video_files: v.files.map((f, i) => ({ id: v.id * 100 + i, quality: f.quality, file_type: 'video/mp4', width: f.width, height: f.height, fps: 10, link: `${base}/videos/${v.id}-${f.width}x${f.height}.mp4` })),
      }));
      return json(res, 200, { page, per_page: perPage, videos, total_results: videos.length });
    }
    const photo = /^\/photos\/(\d+)\.png$/.exec(req.path);
    if (photo) {
      const p = byId.get(Number(photo[1]));
      if (!p) return json(res, 404, { error: 'not found' });
      if (scripted(res, p.script)) return;
      if (opts.imageBatch) await new Promise<void>((resolve) => { held.push(resolve); if (held.length >= opts.imageBatch!) for (const go of held.splice(0)) go(); });
      return sendFile(res, 'image/png', await colorPng(p.color));
    }
    const clip = /^\/videos\/(\d+)-(\d+)x(\d+)\.mp4$/.exec(req.path);
    if (clip) {
      const v = videoById.get(Number(clip[1]));
      if (!v) return json(res, 404, { error: 'not found' });
      if (scripted(res, v.script)) return;
      return sendFile(res, 'video/mp4', tinyMp4(Number(clip[2]), Number(clip[3])));
    }
    json(res, 404, { error: 'no such route' });
  });
  return server;
}
