/**
 * Local pages reproducing the x.com compose flow for the twitter browser driver: a
 * contenteditable text box, a hidden multi-file input, attachment previews, a Post button
 * enabled by text, and a toast linking the new post. `/broken/...` serves the page without
 * its Post button (the missing-selector case). Posts and uploaded files are recorded.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { listenLoopback } from './listen.js';

export interface WebPost { id: string; text: string; replyTo?: string; files: Array<{ name: string; size: number }> }
export interface XWebServer { url: string; posts: WebPost[]; close(): Promise<void> }

const page = (broken: boolean, replyTo: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Post / X</title></head>
<body>
  <div role="dialog">
    ${replyTo ? `<div data-testid="replyingTo">Replying to ${replyTo}</div>` : ''}
    <div data-testid="tweetTextarea_0" contenteditable="true" role="textbox" style="min-height:80px;border:1px solid #ccc"></div>
    <input data-testid="fileInput" type="file" multiple accept="image/*,video/*" style="display:none">
    <div data-testid="attachments"></div>
    ${broken ? '' : '<button data-testid="tweetButton" disabled>Post</button>'}
  </div>
  <div id="toasts"></div>
  <script>
    const box = document.querySelector('[data-testid="tweetTextarea_0"]');
    const input = document.querySelector('[data-testid="fileInput"]');
    const atts = document.querySelector('[data-testid="attachments"]');
    const btn = document.querySelector('[data-testid="tweetButton"]');
    box.addEventListener('input', () => { if (btn) btn.disabled = box.innerText.trim() === ''; });
    input.addEventListener('change', () => {
      // previews appear a moment later, as on x.com while the upload starts
      setTimeout(() => { for (const f of input.files) { const d = document.createElement('div'); d.setAttribute('data-testid', f.type.startsWith('video') ? 'videoPlayer' : 'tweetPhoto'); d.textContent = f.name; if (f.type.startsWith('video')) d.appendChild(document.createElement('video')); atts.appendChild(d); } }, 50);
    });
    if (btn) btn.addEventListener('click', async () => {
      btn.disabled = true;
      const form = new FormData();
      form.append('text', box.innerText);
      form.append('replyTo', ${JSON.stringify(replyTo)});
      for (const f of input.files) form.append('media', f, f.name);
      const res = await fetch('/api/post', { method: 'POST', body: form });
      const { id } = await res.json();
      setTimeout(() => { document.getElementById('toasts').innerHTML = '<div data-testid="toast">Your post was sent. <a href="/mpv2test/status/' + id + '">View</a></div>'; }, 50);
    });
  </script>
</body></html>`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => { const c: Buffer[] = []; req.on('data', (d: Buffer) => c.push(d)); req.on('end', () => resolve(Buffer.concat(c))); req.on('error', reject); });
}

export async function startXWebServer(): Promise<XWebServer> {
  const posts: WebPost[] = [];
  let next = 1890500000000000001n;
  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const broken = u.pathname.startsWith('/broken/');
      const path = broken ? u.pathname.slice('/broken'.length) : u.pathname;
      if (req.method === 'GET' && (path === '/compose/post' || path === '/intent/post')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        return res.end(page(broken, u.searchParams.get('in_reply_to') ?? ''));
      }
      if (req.method === 'POST' && path === '/api/post') {
        const body = await readBody(req);
        const form = await new Response(new Uint8Array(body), { headers: { 'Content-Type': req.headers['content-type'] ?? '' } }).formData();
        const files = form.getAll('media').filter((f): f is File => typeof f !== 'string').map((f) => ({ name: f.name, size: f.size }));
        const replyTo = String(form.get('replyTo') ?? '');
        const post: WebPost = { id: String(next++), text: String(form.get('text') ?? ''), files, ...(replyTo && { replyTo }) };
        posts.push(post);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ id: post.id }));
      }
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<h1>Not found</h1>');
    })();
  });
  const { url, close } = await listenLoopback(server);
  return {
    url,
    posts,
    close,
  };
}
