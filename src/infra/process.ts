/**
 * The one way mpv2 runs a program (ffmpeg, ffprobe, a CLI): execa underneath, with the same
 * rules everywhere. Abort (Ctrl-C, a step timeout, a sibling task failing) sends SIGTERM to
 * this child only, then SIGKILL after a grace period; stdout and stderr are each capped (the
 * last bytes are kept, so the end of a long report, where ffmpeg puts its summaries, survives);
 * a failure carries the useful tail of stderr; a program that cannot be started is
 * E_DEPENDENCY_MISSING. Nothing here blocks the event loop.
 */
import { execa } from 'execa';
import { mpv2Error } from '../errors.js';

export interface RunProcessOptions {
  /** What the program is, for messages (`ffmpeg`, `ffprobe`, `espeak-ng`). @default the file's name */
  name?: string;
  signal?: AbortSignal;
  cwd?: string;
  /** Kill the child after this long (then E_TIMEOUT). */
  timeoutMs?: number;
  /** After SIGTERM, SIGKILL when the child has not exited within this. @default 2000 */
  killGraceMs?: number;
  /** Bytes kept of stdout and of stderr, each (the last ones). @default 8 MiB */
  maxOutput?: number;
  /** Each line of stdout as it comes (ffmpeg `-progress pipe:1`); stdout is then not kept. */
  onStdoutLine?: (line: string) => void;
  /** Called with the child's pid once it has started. */
  onSpawn?: (pid: number) => void;
  /** Lines of stderr in the error message. @default 6 */
  tailLines?: number;
  /** A non-zero exit, or death by a signal not sent by mpv2, is a result, not an error (`--version` probes, a browser window). */
  allowFailure?: boolean;
  /** Drops lines from the stderr tail that carry no information (progress lines). */
  noise?: RegExp;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The signal that ended the child, when one did (then `exitCode` is -1). */
  signal?: string;
  /** Whether the cap cut the start of stdout or stderr. */
  truncated: { stdout: boolean; stderr: boolean };
}

export const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2000;

/** Keeps the last `max` characters of what a stream writes, without ever holding much more. */
class Tail {
  private parts: string[] = [];
  private size = 0;
  cut = false;
  constructor(private readonly max: number) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > this.max * 2) this.compact();
  }
  private compact(): void {
    const all = this.parts.join('');
    if (all.length > this.max) this.cut = true;
    this.parts = [all.slice(-this.max)];
    this.size = this.parts[0]!.length;
  }
  text(): string {
    this.compact();
    return this.parts[0] ?? '';
  }
}

/** The last meaningful lines of a program's stderr. */
export function stderrTail(stderr: string, lines = 6, noise?: RegExp): string {
  const useful = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !(noise?.test(l)));
  return useful.slice(-lines).join('\n');
}

/** Runs `file` with `args` (never through a shell) and resolves with its output. */
export async function runProcess(file: string, args: readonly string[], opts: RunProcessOptions = {}): Promise<ProcessResult> {
  const name = opts.name ?? file.split(/[\\/]/).pop() ?? file;
  if (opts.signal?.aborted) throw mpv2Error('E_ABORTED', `${name} was not started: the step was aborted`);
  const max = opts.maxOutput ?? DEFAULT_MAX_OUTPUT;
  const child = execa(file, args, {
    cwd: opts.cwd,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    encoding: 'utf8',
    cancelSignal: opts.signal,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    ...(opts.timeoutMs !== undefined && { timeout: opts.timeoutMs }),
  });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  const out = new Tail(max);
  const err = new Tail(max);
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    if (!opts.onStdoutLine) return out.push(d);
    // a chunk may end mid-line, so keep the partial line for the next one
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    if (partial.length > max) partial = partial.slice(-max);
    for (const line of lines) opts.onStdoutLine(line);
  });
  child.stderr?.on('data', (d: string) => err.push(d));
  const r = await child;
  if (partial && opts.onStdoutLine) opts.onStdoutLine(partial);
  const stderr = err.text();
  const result: ProcessResult = { stdout: out.text(), stderr, exitCode: r.exitCode ?? -1, ...(r.signal && { signal: r.signal }), truncated: { stdout: out.cut, stderr: err.cut } };
  if (r.isCanceled || opts.signal?.aborted) throw mpv2Error('E_ABORTED', `${name} was stopped: the step was aborted`);
  if (r.timedOut) throw mpv2Error('E_TIMEOUT', `${name} took longer than ${opts.timeoutMs} ms and was stopped`, { details: { stderrTail: stderrTail(stderr, 20, opts.noise) } });
  if (r.code === 'ENOENT' || r.code === 'EACCES' || (r.exitCode === undefined && !r.signal)) {
    throw mpv2Error('E_DEPENDENCY_MISSING', `could not start ${name} (${file}): ${r.code === 'ENOENT' ? 'no such program' : r.code === 'EACCES' ? 'not executable' : r.originalMessage ?? r.shortMessage}`, {
      hint: `install ${name} or fix the path that names it`,
    });
  }
  if (r.exitCode === 0 || (opts.allowFailure && (r.exitCode !== undefined || r.signal))) return result;
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`;
  throw mpv2Error('E_PLUGIN_FAILED', `${name} failed (${how}): ${stderrTail(stderr, opts.tailLines ?? 6, opts.noise)}`, {
    status: r.exitCode,
    details: { stderrTail: stderrTail(stderr, 20, opts.noise) },
  });
}
