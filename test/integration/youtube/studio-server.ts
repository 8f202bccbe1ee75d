/**
 * Serves the Studio stand-in pages of test/fixtures/youtube on 127.0.0.1 and records what the
 * dialog submitted: the uploaded bytes (hashed) and the fields chosen when Done was clicked.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { listenLoopback } from '../../servers/listen.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'youtube');

export interface StudioSubmission {
  videoId: string;
  title: string;
  description: string;
  madeForKids: string | null;
  altered: string | null;
  tags: string;
  visibility: string | null;
  scheduleDate: string;
  scheduleTime: string;
  thumbnail: { name: string; size: number } | null;
}

export interface StudioServer {
  url: string;
  /** Files received by the dialog: id → name, size, sha256. */
  files: Map<string, { name: string; bytes: number; sha256: string }>;
  /** What Done submitted, in order. */
  done: StudioSubmission[];
  /** Rows shown on the content list (newest first), besides finished uploads. */
  seeded: Array<{ videoId: string; title: string }>;
  close(): Promise<void>;
}

const RADIOS: Record<string, string[]> = {
  standard: ['PRIVATE', 'UNLISTED', 'PUBLIC'],
  reordered: ['PUBLIC', 'PRIVATE', 'UNLISTED'],
  missing: ['PRIVATE', 'UNLISTED', 'PUBLIC'],
};

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startStudioServer(): Promise<StudioServer> {
  let seq = 0;
  const s: StudioServer = { url: '', files: new Map(), done: [], seeded: [], close: () => listening.close() };
  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const html = (body: string) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
      if (req.method === 'GET' && u.pathname === '/upload') {
        const variant = u.searchParams.get('variant') ?? 'standard';
        const radios = (RADIOS[variant] ?? RADIOS.standard!).map((v) => `<tp-yt-paper-radio-button name="${v}" role="radio" aria-checked="false">${v[0]}${v.slice(1).toLowerCase()}</tp-yt-paper-radio-button>`).join('\n        ');
        return html(readFileSync(join(FIXTURES, 'studio-upload.html'), 'utf8').replaceAll('{{VISIBILITY_RADIOS}}', radios).replaceAll('{{NEXT_ID}}', variant === 'missing' ? 'continue-button' : 'next-button'));
      }
      if (req.method === 'GET' && u.pathname === '/signed-out') {
        res.writeHead(302, { Location: `/ServiceLogin?continue=${encodeURIComponent('https://studio.youtube.com')}` }).end();
        return;
      }
      if (req.method === 'GET' && u.pathname === '/ServiceLogin') return html(readFileSync(join(FIXTURES, 'signin.html'), 'utf8'));
      if (req.method === 'GET' && /^\/channel\/[\w-]+\/videos\/upload$/.test(u.pathname)) {
        const rows = [...s.done.map((d) => ({ videoId: d.videoId, title: d.title })).reverse(), ...s.seeded]
          .map((r) => `<ytcp-video-row><a id="thumbnail-anchor" href="/video/${r.videoId}/edit">thumb</a><a id="video-title" href="/video/${r.videoId}/edit">${esc(r.title)}</a></ytcp-video-row>`).join('\n');
        return html(readFileSync(join(FIXTURES, 'studio-content.html'), 'utf8').replace('{{ROWS}}', rows));
      }
      if (req.method === 'POST' && u.pathname === '/studio/upload') {
        const h = createHash('sha256');
        let bytes = 0;
        for await (const c of req) { h.update(c as Buffer); bytes += (c as Buffer).length; }
        const videoId = `studio${String(++seq).padStart(5, '0')}`;
        s.files.set(videoId, { name: u.searchParams.get('name') ?? '', bytes, sha256: h.digest('hex') });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ videoId }));
        return;
      }
      if (req.method === 'POST' && u.pathname === '/studio/done') {
        const parts: Buffer[] = [];
        for await (const c of req) parts.push(c as Buffer);
        s.done.push(JSON.parse(Buffer.concat(parts).toString('utf8')) as StudioSubmission);
        res.writeHead(204).end();
        return;
      }
      res.writeHead(404).end();
    })();
  });
  const listening = await listenLoopback(server);
  s.url = listening.url;
  return s;
}
