/** Spawning the built CLI (`node bin/run.js`) against a temporary project, for the engine e2e tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { projectDir } from '../helpers/project-dir.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const BIN = join(REPO, 'bin', 'run.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TempProject {
  root: string;
  write(rel: string, text: string): string;
  /** Runs `mpv2 <args>` in the project and waits for it to end. */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Starts `mpv2 <args>`; `lines` gets every stdout line as it comes. */
  start(args: string[], env?: Record<string, string>): Running;
  /** Rows of a table in `.mpv2/state.db`. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  remove(): void;
}

export interface Running {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line matching `pred`. */
  waitForLine(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  done: Promise<CliResult>;
}

/** An environment without the developer's keys or MPV2_* settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, NO_COLOR: '1', ...extra };
}

export function tempProject(files: Record<string, string> = {}): TempProject {
  const { root, write } = projectDir('mpv2-e2e-', { name: 'e2e-project' }, files);
  const start = (args: string[], env: Record<string, string> = {}): Running => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const waiters: Array<{ pred: (l: string) => boolean; resolve: (l: string) => void }> = [];
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const l of parts) {
        lines.push(l);
        for (const w of [...waiters]) if (w.pred(l)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(l); }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return {
      child, lines, done,
      waitForLine(pred, timeoutMs = 30_000) {
        const have = lines.find(pred);
        if (have) return Promise.resolve(have);
        return new Promise((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; stdout so far:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
          waiters.push({ pred, resolve: (l) => { clearTimeout(t); resolve(l); } });
          void done.then((r) => { clearTimeout(t); reject(new Error(`the CLI ended (code ${r.code}) before the line came; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`)); });
        });
      },
    };
  };
  return {
    root, write, start,
    cli: (args, env) => start(args, env).done,
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(join(root, '.mpv2', 'state.db'), { readonly: true });
      try { return db.prepare(sql).all(...params) as T[]; } finally { db.close(); }
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Parses NDJSON stdout; throws on a line that is not JSON. */
export function events(stdout: string): Array<Record<string, unknown> & { event: string }> {
  return stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown> & { event: string });
}

export const eventIs = (event: string, stepId?: string) => (line: string): boolean => {
  try {
    const e = JSON.parse(line) as { event?: string; stepId?: string };
    return e.event === event && (stepId === undefined || e.stepId === stepId);
  } catch { return false; }
};
