/** A tiny page server on 127.0.0.1 for the browser tests: a page to read, a cookie to set and read back. */
import { createServer, type Server } from 'node:http';
import { listenLoopback } from '../../servers/listen.js';

export interface PagesServer {
  url: string;
  close(): Promise<void>;
}

export async function startPages(): Promise<PagesServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (path === '/set-cookie') {
      res.setHeader('set-cookie', 'session=kept-42; Max-Age=86400; Path=/');
      res.end('<p id="done">cookie set</p>');
    } else if (path === '/read-cookie') {
      const cookie = (req.headers.cookie ?? '').replace(/[<>&]/g, '');
      res.end(`<p id="cookie">${cookie || '(none)'}</p>`);
    } else {
      res.end('<!doctype html><title>Fixture</title><h1 id="title">Hello from 127.0.0.1</h1><input id="name" value="mpv2"><span class="marker">capture-me</span>');
    }
  });
  const { url, close } = await listenLoopback(server);
  return { url, close };
}
