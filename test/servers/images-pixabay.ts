/**
 * A Pixabay API subset on 127.0.0.1: `GET /api/?key=&q=` (hits[] with largeImageURL, user,
 * pageURL) and `GET /api/videos/?key=&q=` (hits[].videos.{large,medium,small,tiny}); a bad key
 * answers 400 "[ERROR 400] Invalid or missing API key" as Pixabay does.
 */
import { colorPng, json, scripted, sendFile, startServer, tinyMp4, type Script, type TestServer } from './images-common.js';

export interface FakeHit {
  id: number;
  user: string;
  color: string;
  /** Pixabay's comma-separated `tags` ("ocean, sea, dawn"); default: the query. */
  tags?: string;
  script?: Script;
}

export interface FakeVideoHit {
  id: number;
  user: string;
  sizes: Record<'large' | 'medium' | 'small' | 'tiny', [number, number]>;
}

export interface PixabayOptions {
  key: string;
  hits: Record<string, FakeHit[]>;
  videos?: Record<string, FakeVideoHit[]>;
  searchScript?: Script;
}

export async function startPixabay(opts: PixabayOptions): Promise<TestServer> {
  const byId = new Map<number, FakeHit>();
  for (const list of Object.values(opts.hits)) for (const h of list) byId.set(h.id, h);
  const server: TestServer = await startServer(async (req, res) => {
    const base = server.url;
    if (req.path === '/api/' || req.path === '/api/videos/') {
      if (req.query.key !== opts.key) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('[ERROR 400] Invalid or missing API key (https://pixabay.com/api/docs/).');
        return;
      }
      if (scripted(res, opts.searchScript)) return;
      const perPage = Number(req.query.per_page ?? 20);
      if (perPage < 3 || perPage > 200) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('[ERROR 400] "per_page" is out of valid range.');
        return;
      }
      const page = Number(req.query.page ?? 1);
      const q = req.query.q ?? '';
      if (req.path === '/api/') {
        const all = opts.hits[q] ?? [];
        const hits = all.slice((page - 1) * perPage, page * perPage).map((h) => ({
          id: h.id,
          pageURL: `https://pixabay.com/photos/${h.id}/`,
          type: 'photo',
          tags: h.tags ?? q,
          previewURL: `${base}/get/${h.id}.png?preview`,
          webformatURL: `${base}/get/${h.id}.png?w=640`,
          largeImageURL: `${base}/get/${h.id}.png`,
          imageWidth: 4000,
          imageHeight: 6000,
          user_id: h.id * 7,
          user: h.user,
          userImageURL: '',
        }));
        return json(res, 200, { total: all.length, totalHits: all.length, hits });
      }
      const all = opts.videos?.[q] ?? [];
      const hits = all.slice((page - 1) * perPage, page * perPage).map((v) => ({
        id: v.id,
        pageURL: `https://pixabay.com/videos/${v.id}/`,
        type: 'film',
        tags: q,
        duration: 1,
        videos: Object.fromEntries(Object.entries(v.sizes).map(([k, [w, h]]) => [k, { url: `${base}/vid/${v.id}-${w}x${h}.mp4`, width: w, height: h, size: 1000, thumbnail: '' }])),
        user_id: v.id * 7,
        user: v.user,
      }));
      return json(res, 200, { total: all.length, totalHits: all.length, hits });
    }
    const img = /^\/get\/(\d+)\.png$/.exec(req.path);
    if (img) {
      const h = byId.get(Number(img[1]));
      if (!h) return json(res, 404, { error: 'not found' });
      if (scripted(res, h.script)) return;
      return sendFile(res, 'image/png', await colorPng(h.color));
    }
    const clip = /^\/vid\/(\d+)-(\d+)x(\d+)\.mp4$/.exec(req.path);
    if (clip) return sendFile(res, 'video/mp4', tinyMp4(Number(clip[2]), Number(clip[3])));
    json(res, 404, { error: 'no such route' });
  });
  return server;
}
