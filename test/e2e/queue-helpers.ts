/** A project for the queue e2e tests: a local test plugin whose steps log what they did to files, and pipelines using it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempProject, type Running, type TempProject } from './engine-helpers.js';

const PLUGIN = `import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const log = (ctx, file, line) => appendFileSync(join(ctx.root, file), line + '\\n');
const num = { type: 'object', additionalProperties: false, properties: {
  n: { type: 'number', description: 'Job number' }, sleepMs: { type: 'number', description: 'Work time', default: 0 },
  gate: { type: 'string', description: 'Once started, wait for this file (test)', default: '' } } };
export default [
  { id: 'qtest.work', version: '1.0.0', description: 'Logs its execution (test)', input: num,
    output: { type: 'object', properties: { n: { type: 'number' } } }, pure: false,
    async run(ctx, input) {
      log(ctx, 'executions.log', ['work', input.n, process.pid, Date.now()].join(' '));
      while (input.gate && !existsSync(join(ctx.root, input.gate))) {
        if (ctx.signal.aborted) throw new Error('aborted');
        await new Promise((r) => setTimeout(r, 25));
      }
      if (input.sleepMs) await new Promise((r) => setTimeout(r, input.sleepMs));
      return { n: input.n };
    } },
  { id: 'qtest.post', version: '1.0.0', description: 'An effect logged once per act (test)', input: num,
    output: { type: 'object', properties: { id: { type: 'number' } } }, effect: true,
    async run(ctx, input) {
      return ctx.effect(['post', input.n], async () => { log(ctx, 'effects.log', ['post', input.n, process.pid].join(' ')); return { id: input.n }; });
    } },
  { id: 'qtest.hold', version: '1.0.0', description: 'Waits for the file "release" (test)', input: num,
    output: { type: 'object', properties: { n: { type: 'number' } } }, pure: false,
    async run(ctx, input) {
      log(ctx, 'executions.log', ['hold', input.n, process.pid, Date.now()].join(' '));
      while (!existsSync(join(ctx.root, 'release'))) {
        if (ctx.signal.aborted) throw new Error('aborted');
        await new Promise((r) => setTimeout(r, 25));
      }
      return { n: input.n };
    } },
];
`;

const pipeline = (name: string, steps: string) => `name: ${name}\ninputs:\n  n: { type: number }\n  sleepMs: { type: number, default: 0 }\n  gate: { type: string, default: "" }\nsteps:\n${steps}`;

export function queueProject(): TempProject {
  return tempProject({
    'qtest.mjs': PLUGIN,
    '.mpv2rc.yaml': 'plugins:\n  - ./qtest.mjs\nlimits:\n  fast: { rate: 10/second }\n',
    'work.yaml': pipeline('work', '  - id: w\n    uses: qtest.work\n    with: { n: "${{ inputs.n }}", sleepMs: "${{ inputs.sleepMs }}", gate: "${{ inputs.gate }}" }\n'),
    'limited.yaml': pipeline('limited', '  - id: w\n    uses: qtest.work\n    limit: fast\n    with: { n: "${{ inputs.n }}" }\n'),
    'killme.yaml': pipeline('killme', '  - id: post\n    uses: qtest.post\n    with: { n: "${{ inputs.n }}" }\n  - id: hold\n    uses: qtest.hold\n    needs: post\n    with: { n: "${{ inputs.n }}" }\n'),
  });
}

export interface LogLine {
  kind: string;
  n: number;
  pid: number;
  at: number;
}

export function readLog(p: TempProject, file: string): LogLine[] {
  const f = join(p.root, file);
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => {
    const [kind, n, pid, at] = l.split(' ');
    return { kind: kind!, n: Number(n), pid: Number(pid), at: Number(at) };
  });
}

/** Polls `ok`. The deadline only ends a hung test with `what` in the message: keep it far above what a loaded machine needs. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const ready = (w: Running) => w.waitForLine((l) => l.includes('worker ready'));
