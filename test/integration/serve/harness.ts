/**
 * A real `mpv2 serve` on 127.0.0.1 (port 0) over a temporary project, reached with fetch,
 * and a Server-Sent Events reader that parses the stream as a browser's EventSource does.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openProject, type Project } from '../../../src/engine/project.js';
import { startServer, type ServeOptions, type Server } from '../../../src/serve/server.js';
import { projectDir } from '../../helpers/project-dir.js';

/** Core steps only: a value, a file in the run folder, outputs. */
export const FAST_PIPELINE = `name: fast
description: Two core steps and a file
inputs:
  greeting: { type: string, default: hello, description: What to write }
  times: { type: integer, default: 2 }
steps:
  - id: a
    uses: core.set
    with: { value: "\${{ inputs.greeting }}" }
  - id: write
    uses: file.write
    with: { path: "\${{ run.dir }}/out/hello.txt", content: "\${{ steps.a.outputs.value }} world, 0123456789" }
outputs:
  file: \${{ steps.write.outputs.path }}
`;

/** Waits until cancelled (core.wait for an hour): for cancel, live SSE and resume. */
export const SLOW_PIPELINE = `name: slow
steps:
  - id: first
    uses: core.set
    with: { value: 1 }
  - id: hold
    uses: core.wait
    needs: first
    with: { seconds: 3600 }
`;

export interface ServeHarness {
  root: string;
  project: Project;
  server: Server;
  base: string;
  write(rel: string, text: string): string;
  /** fetch against the server; JSON bodies are sent as JSON. */
  call(method: string, path: string, o?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(files: Record<string, string> = {}, o: { env?: Record<string, string>; serve?: Partial<ServeOptions>; config?: string } = {}): Promise<ServeHarness> {
  const { root, write } = projectDir('mpv2-serve-', { name: 'serve-test' }, { ...(o.config && { '.mpv2rc.yaml': o.config }), ...files });
  const project = await openProject({ cwd: root, env: { ...o.env }, lazyPlugins: true });
  const server = await startServer({ project, host: '127.0.0.1', port: 0, studioDir: join(root, 'no-studio'), ...o.serve });
  const port = new URL(server.url).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    root, project, server, base, write,
    call: (method, path, c = {}) => fetch(`${base}${path}`, {
      method,
      headers: { ...(c.body !== undefined && { 'content-type': 'application/json' }), ...c.headers },
      ...(c.body !== undefined && { body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) }),
    }),
    async close() {
      await server.close();
      project.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface SseMessage {
  id?: string;
  data: string;
}

/**
 * Reads an SSE response: `next()` resolves with each message (comments skipped) and with
 * undefined when the stream ends. `comments` counts heartbeat lines.
 */
export function sseReader(res: Response): { next(): Promise<SseMessage | undefined>; all(): Promise<SseMessage[]>; comments: string[]; untilComment(text: string): Promise<void>; cancel(): Promise<void> } {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const comments: string[] = [];
  const queue: SseMessage[] = [];
  let done = false;
  const parse = () => {
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const msg: SseMessage = { data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) msg.id = line.slice(4);
        else if (line.startsWith('data: ')) { msg.data += (hasData ? '\n' : '') + line.slice(6); hasData = true; }
      }
      if (hasData) queue.push(msg);
    }
  };
  const next = async (): Promise<SseMessage | undefined> => {
    for (;;) {
      if (queue.length) return queue.shift();
      if (done) return undefined;
      const r = await reader.read();
      if (r.done) done = true;
      else buf += decoder.decode(r.value, { stream: true });
      parse();
    }
  };
  return {
    next, comments,
    /** Reads on (keeping the messages for next()) until a comment `text` came. */
    async untilComment(text: string) {
      while (!comments.includes(text)) {
        const r = await reader.read();
        if (r.done) throw new Error(`stream ended before the comment "${text}"`);
        buf += decoder.decode(r.value, { stream: true });
        parse();
      }
    },
    async all() {
      const out: SseMessage[] = [];
      for (let m = await next(); m; m = await next()) out.push(m);
      return out;
    },
    cancel: () => reader.cancel(),
  };
}

/** Reads SSE messages until one whose event matches `name` (returning every one read). */
export async function readUntil(r: ReturnType<typeof sseReader>, name: string, stepId?: string): Promise<Array<{ id?: string; event: Record<string, unknown> }>> {
  const out: Array<{ id?: string; event: Record<string, unknown> }> = [];
  for (;;) {
    const m = await r.next();
    if (!m) throw new Error(`stream ended before ${name}: ${out.map((x) => x.event.event).join(', ')}`);
    const event = JSON.parse(m.data) as Record<string, unknown>;
    out.push({ id: m.id, event });
    if (event.event === name && (stepId === undefined || event.stepId === stepId)) return out;
  }
}
