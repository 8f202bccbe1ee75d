/** Health, the OpenAPI document, and the studio's sign-in (a cookie for the token). */
import { mpv2Error } from '../../errors.js';
import { sameSecret, SESSION_COOKIE, sessionValue } from '../auth.js';
import { HEALTH } from '../schemas.js';
import { VERSION, type ServeContext } from '../server.js';

const page = (failed: boolean, next: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · mpv2</title>
<style>body{font:16px system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}input,button{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}p.err{color:#b00020}</style>
</head><body><h1>mpv2</h1>
<form method="post" action="/signin">
<label for="token">Token (printed by <code>mpv2 serve</code>, or MPV2_SERVE_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${next.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}">
<button type="submit">Sign in</button>
${failed ? '<p class="err" role="alert">That token is wrong.</p>' : ''}
</form></body></html>`;

/** Only a path of this site: `/runs/x`, never `//evil.example` or `https://…`. */
const localPath = (next: unknown): string => (typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/');

export function registerMetaRoutes(ctx: ServeContext, o: { token?: string; openapi: () => object }): void {
  const { route, app } = ctx;
  route({ method: 'GET', url: '/api/health', summary: 'Is the server up?', tags: ['meta'], response: { 200: HEALTH }, open: true }, async () => ({ ok: true, version: VERSION }));
  route({ method: 'GET', url: '/api/openapi.json', summary: 'This document', tags: ['meta'], response: { 200: { type: 'object' } } }, async () => o.openapi());

  // the sign-in page and form; with no token there is nothing to sign in to
  app.get('/signin', async (req, reply) => reply.type('text/html').header('cache-control', 'no-store').send(page(false, localPath((req.query as { next?: string }).next))));
  app.post('/signin', async (req, reply) => {
    const body = (req.body ?? {}) as { token?: string; next?: string };
    if (!o.token) throw mpv2Error('E_USAGE', 'this server needs no token (it listens on the loopback and MPV2_SERVE_TOKEN is not set)');
    if (typeof body.token !== 'string' || !sameSecret(body.token, o.token)) return reply.code(401).type('text/html').send(page(true, localPath(body.next)));
    return reply
      .header('set-cookie', `${SESSION_COOKIE}=${sessionValue(o.token)}; HttpOnly; SameSite=Strict; Path=/${req.protocol === 'https' ? '; Secure' : ''}`)
      .redirect(localPath(body.next), 303);
  });
  app.post('/signout', async (_req, reply) => reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).redirect('/signin', 303));
}
