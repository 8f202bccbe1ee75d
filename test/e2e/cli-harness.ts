/**
 * Runs the built CLI (`node bin/run.js`) as a subprocess in a temporary project. The build
 * runs once (`npm run build`) when dist/ is missing or older than a source file; a lock
 * folder keeps parallel test files from building at the same time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SECRETS } from '../../src/config/env.js';
import { namespaceVariables } from '../../src/engine/admin/init.js';
import { projectDir } from '../helpers/project-dir.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(REPO, 'bin', 'run.js');
const DIST_ENTRY = join(REPO, 'dist', 'src', 'cli', 'index.js');
// one lock a checkout: two checkouts on one machine build their own dist/ without waiting on each other
const LOCK = join(tmpdir(), `mpv2-e2e-build-${createHash('sha256').update(REPO).digest('hex').slice(0, 12)}.lock`);

function newestSource(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) t = Math.max(t, newestSource(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) t = Math.max(t, st.mtimeMs);
  }
  return t;
}

const stale = () => !existsSync(DIST_ENTRY) || statSync(DIST_ENTRY).mtimeMs < Math.max(newestSource(join(REPO, 'src')), newestSource(join(REPO, 'plugins')));

/**
 * Builds dist/ if it is older than src/ or plugins/ (type errors elsewhere do not stop tsc from
 * writing). While another test file holds the lock its build is under way and dist/ may be half
 * written (tsc has written the entry, not yet the rest or the studio bundle), so a fresh-looking
 * dist/ counts only when no lock is there.
 */
export async function ensureBuilt(): Promise<void> {
  for (;;) {
    const fresh = !stale();
    // looked at after dist/: a build that wrote dist/ before this look still holds its lock now
    const lock = statSync(LOCK, { throwIfNoEntry: false });
    if (fresh && !lock) return;
    if (lock) {
      if (Date.now() - lock.mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true }); // a crashed builder's lock
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      mkdirSync(LOCK);
    } catch {
      continue; // another test file took the lock first: wait for its build
    }
    try {
      spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
    if (!existsSync(DIST_ENTRY)) throw new Error('npm run build did not produce dist/src/cli/index.js');
    return;
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The variables the built-in namespaces read (API keys, the SMTP password …). */
const BUILTIN_VARIABLES = await namespaceVariables(process.cwd());

/** The environment without API keys or MPV2_ settings of the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const drop = new Set<string>([...CORE_SECRETS, ...BUILTIN_VARIABLES]);
  for (const [k, v] of Object.entries(process.env)) if (!drop.has(k) && !k.startsWith('MPV2_') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Called with the child once it runs (to kill it mid-act). */
  onSpawn?: (pid: number) => void;
}

/** Runs `mpv2 <args>`; never rejects on a non-zero exit. Async, so loopback servers in this process keep answering. */
export function mpv2(args: string[], o: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd, env: cleanEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    if (child.pid !== undefined) o.onSpawn?.(child.pid);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 1), stdout, stderr }));
  });
}

/** A temporary project: a package.json (which makes it the root) and the given files. */
export function makeProject(files: Record<string, string> = {}): string {
  return projectDir('mpv2-e2e-', { name: 'e2e-project', type: 'module' }, files).root;
}

/** Parses stdout as JSON, with the output in the message when it is not. */
export function json<T = unknown>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

export const HELLO = `name: hello
inputs:
  who: { type: string, default: world }
steps:
  - id: greeting
    uses: core.set
    with:
      text: "Hello, \${{ inputs.who }}!"
  - id: save
    uses: file.write
    with:
      path: out/hello.json
      data: \${{ steps.greeting.outputs }}
outputs:
  file: \${{ steps.save.outputs.path }}
`;
