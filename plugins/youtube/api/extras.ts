/** After the video: thumbnails.set, captions.insert (multipart) and playlistItems.insert. */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { YoutubeApi } from './client.js';

export async function setThumbnail(api: YoutubeApi, uploadBaseUrl: string, videoId: string, file: string): Promise<void> {
  const data = await readFile(file);
  const type = /\.png$/i.test(file) ? 'image/png' : 'image/jpeg';
  await api.call('thumbnails.set', 'thumbnails.set', {
    method: 'POST', url: `${uploadBaseUrl}/thumbnails/set`, params: { videoId, uploadType: 'media' },
    data, headers: { 'Content-Type': type },
  });
}

/** Inserts a caption track from an .srt or .vtt file; returns the caption id. */
export async function insertCaptions(api: YoutubeApi, uploadBaseUrl: string, videoId: string, file: string, language: string, name = ''): Promise<string> {
  const content = await readFile(file);
  const boundary = `mpv2-${randomBytes(12).toString('hex')}`;
  const meta = JSON.stringify({ snippet: { videoId, language, name, isDraft: false } });
  const type = /\.vtt$/i.test(file) ? 'text/vtt' : 'application/x-subrip';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${meta}\r\n--${boundary}\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await api.call<{ id: string }>('captions.insert', 'captions.insert', {
    method: 'POST', url: `${uploadBaseUrl}/captions`, params: { uploadType: 'multipart', part: 'snippet' },
    data: body, headers: { 'Content-Type': `multipart/related; boundary=${boundary}` },
  });
  return res.data.id;
}

/** Adds the video to a playlist; returns the playlist item id. */
export async function addToPlaylist(api: YoutubeApi, apiBaseUrl: string, videoId: string, playlistId: string): Promise<string> {
  const res = await api.call<{ id: string }>('playlistItems.insert', 'playlistItems.insert', {
    method: 'POST', url: `${apiBaseUrl}/playlistItems`, params: { part: 'snippet' },
    data: { snippet: { playlistId, resourceId: { kind: 'youtube#video', videoId } } },
    headers: { 'Content-Type': 'application/json' },
  });
  return res.data.id;
}

/** The caption track of `language` already on the video (reconciliation of captions.insert). */
export async function findCaptions(api: YoutubeApi, apiBaseUrl: string, videoId: string, language: string): Promise<string | undefined> {
  const res = await api.call<{ items?: Array<{ id: string; snippet?: { language?: string; trackKind?: string } }> }>('captions.list', 'captions.list', {
    method: 'GET', url: `${apiBaseUrl}/captions`, params: { part: 'snippet', videoId },
  });
  return res.data.items?.find((c) => c.snippet?.language === language && c.snippet?.trackKind !== 'asr')?.id;
}

/** The video's item in the playlist, if it is there already (reconciliation of playlistItems.insert). */
export async function findPlaylistItem(api: YoutubeApi, apiBaseUrl: string, videoId: string, playlistId: string): Promise<string | undefined> {
  const res = await api.call<{ items?: Array<{ id: string }> }>('playlistItems.list', 'playlistItems.list', {
    method: 'GET', url: `${apiBaseUrl}/playlistItems`, params: { part: 'id', playlistId, videoId },
  });
  return res.data.items?.[0]?.id;
}
