/**
 * The resumable upload protocol of the Data API: initiate (POST ?uploadType=resumable → a
 * session URI in Location), PUT chunks with Content-Range, 308 + Range for what the server
 * holds. After a dropped connection or a 5xx it asks the server (`Content-Range: bytes * /size`)
 * how much arrived and continues from there instead of starting over.
 */
import { open } from 'node:fs/promises';
import { mpv2Error, isMpv2Error } from 'mpv2/plugin';
import type { YoutubeApi } from './client.js';

export interface VideoResource {
  id: string;
  snippet?: { title?: string; tags?: string[]; publishedAt?: string; channelId?: string };
  status?: { uploadStatus?: string; privacyStatus?: string; publishAt?: string };
  contentDetails?: { duration?: string };
}

export interface UploadOptions {
  chunkSize: number;
  maxResumeAttempts: number;
  backoffMs: number;
  onProgress?: (sent: number, size: number) => void;
  signal?: AbortSignal;
}

export type SessionState = { done: true; video: VideoResource } | { done: false; next: number } | { gone: true; done: false };

const MIME: Record<string, string> = { mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', avi: 'video/x-msvideo' };
export const videoMime = (file: string): string => MIME[/\.([^.]+)$/.exec(file)?.[1]?.toLowerCase() ?? ''] ?? 'application/octet-stream';

const ok308 = (s: number) => (s >= 200 && s < 300) || s === 308;

/** POST the metadata; returns the session URI. Costs one videos.insert. */
export async function initiateUpload(api: YoutubeApi, uploadBaseUrl: string, metadata: unknown, size: number, contentType: string): Promise<string> {
  const res = await api.call('videos.insert', 'videos.insert (resumable initiation)', {
    method: 'POST',
    url: `${uploadBaseUrl}/videos`,
    params: { uploadType: 'resumable', part: 'snippet,status' },
    data: JSON.stringify(metadata),
    headers: { 'Content-Type': 'application/json; charset=UTF-8', 'X-Upload-Content-Length': String(size), 'X-Upload-Content-Type': contentType },
  });
  const location = res.headers.location as string | undefined;
  if (!location) throw mpv2Error('E_HTTP', 'videos.insert answered without a Location header (no upload session)', { retryable: true, status: res.status });
  return new URL(location, uploadBaseUrl).toString();
}

/** Next byte wanted, from a 308's `Range: bytes=0-N` (no Range: nothing arrived). */
export function nextOffset(range: unknown): number {
  const m = /bytes=\d+-(\d+)/.exec(typeof range === 'string' ? range : '');
  return m ? Number(m[1]) + 1 : 0;
}

/** Asks the session how much it holds (or whether the upload already completed). */
export async function querySession(api: YoutubeApi, sessionUrl: string, size: number): Promise<SessionState> {
  try {
    const res = await api.call<VideoResource>(null, 'upload status query', {
      method: 'PUT', url: sessionUrl, data: Buffer.alloc(0), maxRedirects: 0, validateStatus: ok308,
      headers: { 'Content-Range': `bytes */${size}`, 'Content-Type': 'application/octet-stream' },
    });
    if (res.status === 308) return { done: false, next: nextOffset(res.headers.range) };
    return { done: true, video: res.data };
  } catch (e) {
    if (isMpv2Error(e) && (e.status === 404 || e.status === 410)) return { gone: true, done: false };
    throw e;
  }
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (ms <= 0) return resolve();
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(mpv2Error('E_ABORTED', 'upload interrupted')); }, { once: true });
});

/**
 * Sends `file` from `start` through the session until the server answers 200/201 with the
 * video. Returns undefined when the session is gone (404/410: start a new one).
 */
export async function sendFile(api: YoutubeApi, sessionUrl: string, file: string, size: number, start: number, o: UploadOptions): Promise<VideoResource | undefined> {
  const fh = await open(file, 'r');
  try {
    let offset = start;
    let stalls = 0;
    for (;;) {
      if (o.signal?.aborted) throw mpv2Error('E_ABORTED', 'upload interrupted');
      const end = Math.min(offset + o.chunkSize, size);
      const buf = Buffer.alloc(end - offset);
      await fh.read(buf, 0, buf.length, offset);
      try {
        const res = await api.call<VideoResource>(null, 'upload chunk', {
          method: 'PUT', url: sessionUrl, data: buf, maxRedirects: 0, validateStatus: ok308,
          headers: { 'Content-Range': `bytes ${offset}-${end - 1}/${size}`, 'Content-Type': 'application/octet-stream' },
          maxBodyLength: Infinity, maxContentLength: Infinity,
        });
        if (res.status !== 308) { o.onProgress?.(size, size); return res.data; }
        const next = nextOffset(res.headers.range);
        if (next > offset) stalls = 0;
        offset = next;
        o.onProgress?.(offset, size);
        continue;
      } catch (e) {
        if (isMpv2Error(e) && (e.status === 404 || e.status === 410)) return undefined;
        if (!isMpv2Error(e) || !e.retryable) throw e;
        if (++stalls > o.maxResumeAttempts) {
          throw mpv2Error('E_HTTP', `upload stopped making progress at byte ${offset} of ${size} after ${stalls - 1} resumes: ${e.message}`, { retryable: true, cause: e, hint: 'a retry resumes the same upload session' });
        }
        await sleep(Math.min(o.backoffMs * 2 ** (stalls - 1), 30_000), o.signal);
      }
      // the connection dropped or the server failed: ask what it holds and go on from there
      const state = await resumePoint(api, sessionUrl, size, o);
      if (state.done) { o.onProgress?.(size, size); return state.video; }
      if ('gone' in state) return undefined;
      if (state.next > offset) stalls = 0;
      offset = state.next;
      o.onProgress?.(offset, size);
    }
  } finally {
    await fh.close();
  }
}

/** A status query that itself survives a few network failures. */
async function resumePoint(api: YoutubeApi, sessionUrl: string, size: number, o: UploadOptions): Promise<SessionState> {
  for (let i = 0; ; i++) {
    try {
      return await querySession(api, sessionUrl, size);
    } catch (e) {
      if (!isMpv2Error(e) || !e.retryable || i >= o.maxResumeAttempts) throw e;
      await sleep(Math.min(o.backoffMs * 2 ** i, 30_000), o.signal);
    }
  }
}
