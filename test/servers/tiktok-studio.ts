/**
 * Local pages reproducing TikTok Studio's upload flow for the tiktok browser driver: a hidden
 * video file input whose file is sent to the server (then "Uploaded"), a caption editor
 * pre-filled with the file name (as Studio does), a privacy choice, a Post button enabled once
 * the upload is done, and the content list Studio opens after posting, with each post's caption
 * and link. `?noconfirm=1` posts but never leaves the page (the answer lost after the click);
 * `/broken/...` has no Post button (the missing-selector case).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { listenLoopback } from './listen.js';

export interface StudioPost { id: string; caption: string; privacy: string; bytes: number }
export interface StudioServer { url: string; posts: StudioPost[]; uploads: number[]; close(): Promise<void> }

const uploadPage = (broken: boolean, confirm: boolean) => `<!doctype html>
<html><head><meta charset="utf-8"><title>TikTok Studio</title></head><body>
  <input type="file" accept="video/*" style="display:none">
  <div data-e2e="upload_status_container"></div>
  <div data-e2e="caption_container"><div class="public-DraftEditor-content" contenteditable="true" style="min-height:40px;border:1px solid #ccc"></div></div>
  <div data-e2e="video_visibility_container"><button type="button">Everyone</button>
    <ul id="opts" style="display:none">
      <li data-e2e="privacy_option_PUBLIC_TO_EVERYONE">Everyone</li><li data-e2e="privacy_option_MUTUAL_FOLLOW_FRIENDS">Friends</li><li data-e2e="privacy_option_SELF_ONLY">Only you</li>
    </ul></div>
  ${broken ? '' : '<button data-e2e="post_video_button" disabled>Post</button>'}
  <script>
    let privacy = 'PUBLIC_TO_EVERYONE', bytes = 0;
    const input = document.querySelector('input[type=file]');
    const editor = document.querySelector('.public-DraftEditor-content');
    const post = document.querySelector('[data-e2e=post_video_button]');
    input.addEventListener('change', async () => {
      const f = input.files[0];
      editor.textContent = f.name.replace(/\\.[^.]+$/, '');
      const res = await fetch('/api/upload', { method: 'POST', body: f });
      bytes = (await res.json()).bytes;
      document.querySelector('[data-e2e=upload_status_container]').innerHTML = '<span data-e2e="upload_success">Uploaded</span>';
      if (post) post.disabled = false;
    });
    document.querySelector('[data-e2e=video_visibility_container] button').addEventListener('click', () => { document.getElementById('opts').style.display = 'block'; });
    for (const li of document.querySelectorAll('#opts li')) li.addEventListener('click', () => { privacy = li.dataset.e2e.replace('privacy_option_', ''); document.getElementById('opts').style.display = 'none'; });
    if (post) post.addEventListener('click', async () => {
      post.disabled = true;
      await fetch('/api/post', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ caption: editor.innerText, privacy, bytes }) });
      ${confirm ? "location.href = '/tiktokstudio/content';" : ''}
    });
  </script>
</body></html>`;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const contentPage = (posts: StudioPost[]) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Posts · TikTok Studio</title></head><body>
  <div data-e2e="content_list">
    ${posts.slice().reverse().map((p) => `<div data-e2e="content_item"><span data-e2e="content_item_caption">${esc(p.caption)}</span> <a href="/@mpv2creator/video/${p.id}">view</a></div>`).join('\n')}
  </div>
</body></html>`;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export async function startStudioServer(): Promise<StudioServer> {
  const posts: StudioPost[] = [];
  const uploads: number[] = [];
  let seq = 7_400_000_000_000_000_000n;
  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const html = (body: string) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
    if (req.method === 'GET' && u.pathname.endsWith('/tiktokstudio/upload')) return html(uploadPage(u.pathname.startsWith('/broken/'), u.searchParams.get('noconfirm') !== '1' && !u.pathname.startsWith('/noconfirm/')));
    if (req.method === 'GET' && u.pathname.endsWith('/tiktokstudio/content')) return html(contentPage(posts));
    if (req.method === 'POST' && u.pathname === '/api/upload') {
      const b = await readBody(req);
      uploads.push(b.length);
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ bytes: b.length }));
    }
    if (req.method === 'POST' && u.pathname === '/api/post') {
      const b = JSON.parse((await readBody(req)).toString()) as Omit<StudioPost, 'id'>;
      posts.push({ id: String(++seq), ...b });
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    }
    res.writeHead(404).end('not found');
  });
  const { url, close } = await listenLoopback(server);
  return { url, posts, uploads, close };
}
