/** Runs: start, list, view, live events (SSE), cancel, resume, files. */
import { forTerminal } from '../../cli/output/terminal-text.js';
import { mimeOf, redactedText, runFile } from '../files.js';
import { arrayOf, RUN, RUN_EVENT, RUN_ID_PARAMS, RUN_STARTED, RUN_SUMMARY, START_RUN } from '../schemas.js';
import type { ServeContext } from '../server.js';

type IdParams = { id: string };

export function registerRunRoutes({ route, project, runs, heartbeatMs }: ServeContext): void {
  route({ method: 'POST', url: '/api/runs', summary: 'Start a run (or queue it for the workers when queue.url is set)', tags: ['runs'], body: START_RUN, response: { 202: RUN_STARTED } }, async (req, reply) => {
    const b = req.body as { pipeline: string; inputs: Record<string, unknown>; dryRun: boolean };
    reply.code(202);
    return runs.start(b);
  });
  route({
    method: 'GET', url: '/api/runs', summary: 'Runs, newest first', tags: ['runs'],
    querystring: { type: 'object', properties: { status: { type: 'string' }, pipeline: { type: 'string', description: 'A pipeline id or file' }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } } },
    response: { 200: arrayOf(RUN_SUMMARY) },
  }, async (req) => runs.list(req.query as { status?: string; pipeline?: string; limit: number }));
  route({ method: 'GET', url: '/api/runs/:id', summary: 'A run with its steps and outputs', tags: ['runs'], params: RUN_ID_PARAMS, response: { 200: RUN } }, async (req) => runs.get((req.params as IdParams).id));
  route({ method: 'POST', url: '/api/runs/:id/cancel', summary: 'Stop a run this server runs (as Ctrl-C stops `mpv2 run`)', tags: ['runs'], params: RUN_ID_PARAMS, response: { 202: { type: 'object', properties: { runId: { type: 'string' }, status: { const: 'cancelling' } } } } }, async (req, reply) => {
    reply.code(202);
    return runs.cancel((req.params as IdParams).id);
  });
  route({
    method: 'POST', url: '/api/runs/:id/resume', summary: 'Continue a failed or interrupted run (as `mpv2 resume`)', tags: ['runs'], params: RUN_ID_PARAMS,
    querystring: { type: 'object', properties: { force: { type: 'boolean', default: false, description: 'Resume even though the pipeline file changed' } } },
    response: { 202: RUN_STARTED },
  }, async (req, reply) => {
    reply.code(202);
    return runs.resume((req.params as IdParams).id, { force: (req.query as { force: boolean }).force });
  });

  route({
    method: 'GET', url: '/api/runs/:id/events', summary: 'Server-Sent Events: each `data:` is one `--json` event; the events so far, then live ones, until run.finished (204 to a client whose Last-Event-ID is past it)', tags: ['runs'],
    params: RUN_ID_PARAMS, contentType: 'text/event-stream', response: { 200: RUN_EVENT, 204: {} },
  }, async (req, reply) => {
    const id = (req.params as IdParams).id;
    const last = Number(req.headers['last-event-id']);
    const after = Number.isInteger(last) && last >= 0 ? last : undefined;
    const raw = reply.raw;
    let ended = false;
    let unsubscribe: (() => void) | undefined;
    let beat: NodeJS.Timeout | undefined;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(beat);
      unsubscribe?.();
      raw.end();
    };
    const write = (id: number, event: object): void => {
      if (ended) return;
      // the `--json` line exactly: C1 controls and bidi overrides as \u escapes
      raw.write(`id: ${id}\ndata: ${forTerminal(JSON.stringify(project.redactor.redactDeep(event)))}\n\n`);
      if ((event as { event?: string }).event === 'run.finished') end();
    };
    // an unknown run is a problem+json answer, before the stream starts
    const pending: Array<{ id: number; event: object }> = [];
    let started = false;
    let seenEnd = false;
    unsubscribe = await runs.subscribe(id, after, (n) => (started ? write(n.id, n.event) : pending.push(n)), () => (started ? end() : (seenEnd = true)));
    // the client saw run.finished and reconnected (EventSource does unless closed): 204 tells it to stop
    if (seenEnd) {
      unsubscribe();
      return reply.code(204).send();
    }
    reply.hijack();
    raw.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': mpv2 run events\n\n');
    started = true;
    for (const n of pending) write(n.id, n.event);
    if (!ended) beat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
    req.raw.on('close', end);
  });

  route({
    method: 'GET', url: '/api/runs/:id/files/*', summary: 'A file of the run folder (Range requests supported)', tags: ['runs'], params: RUN_ID_PARAMS,
    contentType: 'application/octet-stream', response: { 200: { type: 'string', contentMediaType: 'application/octet-stream' }, 206: { type: 'string', contentMediaType: 'application/octet-stream' } },
  }, async (req, reply) => {
    const { id, '*': rel } = req.params as IdParams & { '*': string };
    await runs.requireRun(id);
    const f = runFile(project.state().runsDir, id, rel);
    reply.header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'; media-src 'self'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
    // a text file that holds a secret is sent whole with it masked (a full 200 answers any Range)
    const masked = redactedText(f.dir, f.file, f.size, (t) => project.redactor.redact(t));
    if (masked !== undefined) return reply.type(`${mimeOf(f.file)}; charset=utf-8`).send(masked);
    return reply.sendFile(f.file, f.dir, { dotfiles: 'allow' });
  });
}
