/**
 * The loopback redirect of an OAuth installed-app flow (RFC 8252): a one-shot server on
 * 127.0.0.1 (random port) that takes the authorization `code` whose `state` matches, and
 * nothing else. Shared by every platform whose `mpv2 accounts login` signs in through the
 * user's browser (YouTube, TikTok), offered to plugins as `waitForAuthorizationCode`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mpv2Error } from '../../errors.js';

export interface LoopbackRedirect {
  /** The redirect URI to send in the authorization request, e.g. `http://127.0.0.1:43121/callback/`. */
  redirectUri: string;
  /** Settles with the code, or with the refusal (`error=`), the timeout or the abort. */
  code: Promise<string>;
  close(): void;
}

const PAGE = (msg: string) => `<!doctype html><meta charset="utf-8"><title>mpv2</title><p style="font:16px sans-serif">${msg}</p>`;

export async function waitForAuthorizationCode(o: {
  state: string;
  /** The platform's name, for messages. */
  platform: string;
  /** The path the platform redirects to. @default '/' */
  path?: string;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<LoopbackRedirect> {
  const path = o.path ?? '/';
  let settle!: { resolve: (c: string) => void; reject: (e: unknown) => void };
  const code = new Promise<string>((resolve, reject) => { settle = { resolve, reject }; });
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== path) { res.writeHead(404).end(); return; }
    const error = u.searchParams.get('error');
    if (error) {
      res.writeHead(400, { 'Content-Type': 'text/html' }).end(PAGE(`Sign-in failed: ${error.replace(/[<>&]/g, '')}. You can close this tab.`));
      settle.reject(mpv2Error('E_AUTH', `${o.platform} sign-in was not completed (${error})`, { hint: 'run `mpv2 accounts login` again and allow access' }));
      return;
    }
    if (u.searchParams.get('state') !== o.state || !u.searchParams.get('code')) {
      res.writeHead(400, { 'Content-Type': 'text/html' }).end(PAGE('This sign-in link is not the one mpv2 is waiting for.'));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE('Signed in. You can close this tab and go back to the terminal.'));
    settle.resolve(u.searchParams.get('code')!);
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => settle.reject(mpv2Error('E_TIMEOUT', `no sign-in within ${Math.round(o.timeoutMs / 1000)} s`)), o.timeoutMs);
  const onAbort = () => settle.reject(mpv2Error('E_ABORTED', 'sign-in interrupted'));
  o.signal.addEventListener('abort', onAbort, { once: true });
  void code.finally(() => { clearTimeout(timer); o.signal.removeEventListener('abort', onAbort); }).catch(() => undefined);
  return {
    redirectUri: `http://127.0.0.1:${port}${path === '/' ? '' : path}`, code,
    close: () => { server.close(); server.closeAllConnections(); },
  };
}
