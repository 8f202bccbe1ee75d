/**
 * Shared parts of the image-provider test servers: a node:http server on 127.0.0.1:0 that
 * records requests, and a media route serving tiny generated PNGs and MP4s, with scripted
 * failures (429 with Retry-After, 500, 404) per file.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { listenLoopback } from './listen.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body?: unknown;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    let body: unknown;
    try { body = raw ? JSON.parse(raw) : undefined; } catch { body = raw; }
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, body };
    requests.push(rec);
    try {
      await handler(rec, res);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    }
  });
  const { url, close } = await listenLoopback(server);
  return { url, requests, close };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Scripted answers of a URL: e.g. ['429', '500'] fails twice, then serves; ['404*'] always 404s. */
export type Script = string[];

/** Answers a scripted failure if one is due; returns true when it did. */
export function scripted(res: ServerResponse, script: Script | undefined): boolean {
  if (!script || script.length === 0) return false;
  const step = script[0]!.endsWith('*') ? script[0]! : script.shift()!;
  const status = Number(step.replace('*', ''));
  if (status === 429) json(res, 429, { error: 'Rate limit exceeded' }, { 'retry-after': '1' });
  else json(res, status, { error: `scripted ${status}` });
  return true;
}

const pngCache = new Map<string, Buffer>();

/** A tiny PNG of one colour (the same colour and size give the same bytes). */
export async function colorPng(color: string, width = 96, height = 160): Promise<Buffer> {
  const k = `${color}|${width}|${height}`;
  let b = pngCache.get(k);
  if (!b) {
    b = await sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
    pngCache.set(k, b);
  }
  return b;
}

let clipDir: string | undefined;

/** A 1-second H.264 clip made with ffmpeg (cached per size). */
export function tinyMp4(width: number, height: number): Buffer {
  clipDir ??= mkdtempSync(join(tmpdir(), 'mpv2-clips-'));
  const file = join(clipDir, `${width}x${height}.mp4`);
  try {
    return readFileSync(file);
  } catch {
    execFileSync(process.env.FFMPEG_PATH || 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=s=${width}x${height}:d=1:r=10`, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', file]);
    return readFileSync(file);
  }
}

export function sendFile(res: ServerResponse, type: string, data: Buffer): void {
  res.writeHead(200, { 'content-type': type, 'content-length': String(data.length) }).end(data);
}
