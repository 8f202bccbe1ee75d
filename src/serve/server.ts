/**
 * `mpv2 serve`: one fastify process with the REST API under /api (routes in ./routes/), the
 * web studio's built files at / (dist/studio, with index.html for client routes), the same
 * project, engine and stores as the CLI. See docs/serve.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isMpv2Error, mpv2Error } from '../errors.js';
import type { Project } from '../engine/project.js';
import { describeAjvErrors } from '../infra/ajv.js';
import { PACKAGE_ROOT } from '../infra/package-root.js';
import { checkRequest, serverToken } from './auth.js';
import { buildOpenApi, type RouteDoc } from './openapi.js';
import { PROBLEM_TYPE, toProblem, withHttpStatus } from './problem.js';
import type { RunManager } from './runs.js';
import { openRuns } from './open-runs.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerApprovalRoutes } from './routes/approvals.js';
import { registerMcpRoute } from './routes/mcp.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerPipelineRoutes } from './routes/pipelines.js';
import { registerRunRoutes } from './routes/runs.js';
import type { SharedStores } from '../queue/redis/stores.js';

/** Request bodies larger than this are refused with 413 (a pipeline text to validate fits easily). */
export const BODY_LIMIT = 1024 * 1024;

export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface ServeOptions {
  project: Project;
  /** Default: config `serve.host` (127.0.0.1). */
  host?: string;
  /** Default: config `serve.port` (3777); 0 picks a free port. */
  port?: number;
  /** The studio's built files. Default: dist/studio of the package. */
  studioDir?: string;
  /** SSE heartbeat comment interval. @default 15000 */
  heartbeatMs?: number;
  /** Journal poll interval for runs started elsewhere. @default 500 */
  pollMs?: number;
}

export interface Server {
  app: FastifyInstance;
  url: string;
  /** The token, when one is required. */
  token?: string;
  /** True when the token was made up now (print it once). */
  generatedToken: boolean;
  runs: RunManager;
  /** Stops runs as Ctrl-C does, waits for their ends to be journaled, closes the listener. */
  close(): Promise<void>;
}

/** What the route modules get: the app plus a way to register a documented route. */
export interface ServeContext {
  app: FastifyInstance;
  project: Project;
  runs: RunManager;
  /** The workers' shared stores, when `queue.url` is set. */
  shared?: SharedStores;
  heartbeatMs: number;
  route(doc: RouteDoc, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): void;
}

export async function startServer(o: ServeOptions): Promise<Server> {
  const { project } = o;
  const cfg = project.config.values.serve;
  const host = o.host ?? cfg.host;
  const { token, generated } = serverToken(host, project.config.secrets.MPV2_SERVE_TOKEN);
  if (token) project.redactor.add(token);
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    // SSE streams of runs started elsewhere would hold the shutdown open
    forceCloseConnections: true,
    // the same request checks as the engine's schemas: no silent removal of unknown keys
    ajv: { customOptions: { removeAdditional: false, useDefaults: true, coerceTypes: true, allErrors: true } },
  });
  // answers are plain JSON of what the handler returned, secrets redacted (the schemas document, they do not filter)
  app.setSerializerCompiler(() => (data) => JSON.stringify(project.redactor.redactDeep(data)));
  const sendProblem = (reply: FastifyReply, e: unknown, status?: number) => {
    const p = toProblem(e, project.root, project.redactor, status);
    if (p.status === 401) reply.header('www-authenticate', 'Bearer realm="mpv2"');
    return reply.code(p.status).type(PROBLEM_TYPE).send(JSON.stringify(p));
  };
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (isMpv2Error(err)) return sendProblem(reply, err);
    if (err.validation) {
      const problems = describeAjvErrors(err.validation as never, undefined, [err.validationContext ?? 'body']);
      return sendProblem(reply, mpv2Error('E_USAGE', problems.map((p) => p.message).join('; ') || err.message, { hint: 'GET /api/openapi.json describes every request' }), 400);
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const hint = err.statusCode === 413 ? `request bodies are capped at ${BODY_LIMIT / 1024} KB` : err.statusCode === 415 ? 'send JSON (content-type: application/json)' : undefined;
      return sendProblem(reply, withHttpStatus(mpv2Error('E_USAGE', err.message, { hint }), err.statusCode));
    }
    return sendProblem(reply, err);
  });
  // with queue.url the workers journal in Redis: the API reads their runs there too, and follows their events
  const { runs, shared, close: closeRuns } = await openRuns(project, { pollMs: o.pollMs });
  const docs: RouteDoc[] = [];
  const ctx: ServeContext = {
    app, project, runs, shared, heartbeatMs: o.heartbeatMs ?? 15_000,
    route(doc, handler) {
      docs.push(doc);
      app.route({
        method: doc.method as 'GET', url: doc.url,
        schema: { ...(doc.params && { params: doc.params }), ...(doc.querystring && { querystring: doc.querystring }), ...(doc.body && { body: doc.body }) },
        handler,
      });
    },
  };
  const policy = { token, host, corsOrigins: cfg.cors };
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && cfg.cors.includes(origin)) {
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        return reply.code(204).header('access-control-allow-methods', 'GET, POST, DELETE').header('access-control-allow-headers', 'authorization, content-type, last-event-id').header('access-control-max-age', '600').send();
      }
    }
    try {
      checkRequest({ method: req.method, path: req.url.split('?')[0]!, headers: req.headers }, policy);
    } catch (e) {
      return sendProblem(reply, e);
    }
    return undefined;
  });
  // the sign-in form posts application/x-www-form-urlencoded; nothing else does
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));

  registerMetaRoutes(ctx, { token, openapi: () => buildOpenApi(docs, VERSION, Boolean(token)) });
  registerPipelineRoutes(ctx);
  registerRunRoutes(ctx);
  registerApprovalRoutes(ctx);
  registerAdminRoutes(ctx);
  registerMcpRoute(ctx);

  const studioDir = o.studioDir ?? join(PACKAGE_ROOT, 'dist', 'studio');
  const hasStudio = existsSync(join(studioDir, 'index.html'));
  // sendFile (with Range) for run files; the studio's files when built
  await app.register(fastifyStatic, { root: hasStudio ? studioDir : project.state().runsDir, serve: hasStudio, wildcard: false, index: 'index.html', dotfiles: 'deny' });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    if (path.startsWith('/api/') || path === '/api' || req.method !== 'GET') return sendProblem(reply, mpv2Error('E_NOT_FOUND', `no route ${req.method} ${path}`, { hint: 'GET /api/openapi.json lists the routes' }));
    // client routes of the studio (/runs/…): its index.html routes them
    if (hasStudio) return reply.sendFile('index.html', studioDir);
    return reply.type('text/html').send('<!doctype html><meta charset="utf-8"><title>mpv2</title><p>The web studio is not built here (<code>npm run build</code> builds it into dist/studio). The API is at <a href="/api/openapi.json">/api</a>.</p>');
  });

  const port = o.port ?? cfg.port;
  let address: string;
  try {
    address = await app.listen({ host, port });
  } catch (e) {
    await app.close();
    await closeRuns();
    throw listenError(e, host, port);
  }
  const url = new URL(address);
  // show the address as asked (0.0.0.0 stays 0.0.0.0; the link works on this machine)
  const shown = `http://${host.includes(':') ? `[${host}]` : host}:${url.port}/`;
  let closed: Promise<void> | undefined;
  return {
    app, url: shown, token, generatedToken: generated, runs,
    close: () => (closed ??= (async () => {
      await runs.close();
      await app.close();
      await closeRuns();
    })()),
  };
}

/** Why the server cannot listen, as the user's problem (exit 2): a port in use, an address not of this machine. */
function listenError(e: unknown, host: string, port: number) {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE') return mpv2Error('E_USAGE', `cannot listen on ${where}: the port is in use`, { cause: e, hint: 'pick another with --port (0 takes any free one), or stop what listens there' });
  if (code === 'EACCES') return mpv2Error('E_USAGE', `cannot listen on ${where}: not allowed (ports below 1024 need privileges)`, { cause: e, hint: 'pick a port of 1024 or more with --port' });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return mpv2Error('E_USAGE', `cannot listen on ${where}: no such address on this machine`, { cause: e, hint: 'use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own addresses with --host' });
  return e;
}
