/**
 * Media upload through X API v2 (`/2/media/upload`): initialize, append chunks as
 * multipart, finalize, then poll STATUS while X processes a video or GIF.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { TwitterConfig } from './config.js';
import type { ApiAuth } from './credentials.js';
import { xRequest } from './x-request.js';

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif',
  '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.m4v': 'video/mp4',
};

export function mediaType(file: string): string {
  const t = TYPES[extname(file).toLowerCase()];
  if (!t) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `X accepts JPEG, PNG, WebP and GIF images and MP4/MOV videos; cannot post ${file}`);
  return t;
}

const category = (type: string) => (type === 'image/gif' ? 'tweet_gif' : type.startsWith('video/') ? 'tweet_video' : 'tweet_image');

interface ProcessingInfo { state: 'pending' | 'in_progress' | 'succeeded' | 'failed'; check_after_secs?: number; progress_percent?: number; error?: { message?: string } }
interface MediaAnswer { data: { id: string; media_key?: string; processing_info?: ProcessingInfo } }

export async function uploadMedia(ctx: StepContext, cfg: TwitterConfig, auth: ApiAuth, file: string): Promise<string> {
  const type = mediaType(file);
  const bytes = await readFile(file);
  const base = `${cfg.uploadBaseUrl.replace(/\/+$/, '')}/2/media/upload`;
  const init = await xRequest<MediaAnswer>(ctx, auth, {
    method: 'POST', url: `${base}/initialize`, what: 'X media upload (initialize)',
    json: { media_type: type, total_bytes: bytes.length, media_category: category(type) },
  });
  const id = init.data.id;
  const chunks = Math.max(1, Math.ceil(bytes.length / cfg.uploadChunkBytes));
  for (let i = 0; i < chunks; i++) {
    const form = new FormData();
    form.append('segment_index', String(i));
    form.append('media', new Blob([bytes.subarray(i * cfg.uploadChunkBytes, (i + 1) * cfg.uploadChunkBytes)]), 'media');
    await xRequest(ctx, auth, { method: 'POST', url: `${base}/${id}/append`, form, what: `X media upload (append ${i + 1}/${chunks})` });
  }
  const fin = await xRequest<MediaAnswer>(ctx, auth, { method: 'POST', url: `${base}/${id}/finalize`, what: 'X media upload (finalize)' });
  await waitProcessed(ctx, cfg, auth, base, id, fin.data.processing_info);
  return id;
}

async function waitProcessed(ctx: StepContext, cfg: TwitterConfig, auth: ApiAuth, base: string, id: string, first: ProcessingInfo | undefined): Promise<void> {
  const deadline = Date.now() + parseDuration(cfg.mediaTimeout, 'twitter.mediaTimeout');
  let info = first;
  while (info && (info.state === 'pending' || info.state === 'in_progress')) {
    if (Date.now() > deadline) throw mpv2Error('E_TIMEOUT', `X was still processing media ${id} after ${String(cfg.mediaTimeout)}`, { retryable: true });
    ctx.progress({ message: `X is processing the media${info.progress_percent !== undefined ? ` (${info.progress_percent}%)` : ''}` });
    await sleep((info.check_after_secs ?? 1) * 1000, ctx.signal);
    const st = await xRequest<MediaAnswer>(ctx, auth, { method: 'GET', url: base, query: { command: 'STATUS', media_id: id }, what: 'X media upload (status)' });
    info = st.data.processing_info;
  }
  if (info?.state === 'failed') {
    throw mpv2Error('E_PLUGIN_FAILED', `X could not process media ${id}: ${info.error?.message ?? 'no reason given'}`, { hint: 'check the format: H.264/AAC MP4 up to 140 s, images up to 5 MB' });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(mpv2Error('E_ABORTED', 'media processing wait was cancelled'));
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(mpv2Error('E_ABORTED', 'media processing wait was cancelled')); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
