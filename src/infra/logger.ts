/**
 * The run log: pino writing NDJSON to `<dir>/<runId>.log`. Every line passes through the
 * redactor on its way to the file (pino's `streamWrite` hook), so no registered secret can
 * escape, whatever the call site logs; credential-named keys (Authorization, Cookie,
 * apiKey, token …) are masked by name before serialization.
 */
import { mkdirSync } from 'node:fs';
import { tighten } from './private-files.js';
import { join } from 'node:path';
import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { StepLogger } from '../plugin/types.js';
import { Redactor } from './redact.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Mpv2Logger extends StepLogger {
  trace(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines carry `bindings` (e.g. `{ stepId }`). */
  child(bindings: Record<string, unknown>): Mpv2Logger;
  readonly level: LogLevel;
}

export interface CreateLoggerOptions {
  /** Folder of the log file (e.g. `.mpv2/logs`); created if missing. */
  dir: string;
  /** The file is `<runId>.log`. @default 'mpv2' */
  runId?: string;
  /** @default 'info' */
  level?: LogLevel;
  /** Secrets to mask; one is made when absent. Secrets added to it later are masked too. */
  redactor?: Redactor;
}

export interface LoggerHandle {
  logger: Mpv2Logger;
  /** Absolute path of the log file. */
  file: string;
  redactor: Redactor;
  /** Flushes and closes the file. Safe to call twice. */
  close(): Promise<void>;
}

// headers by name, wherever a request or response shows up in the fields
const REDACT_PATHS = ['headers.authorization', 'headers.cookie', 'headers["set-cookie"]', '*.headers.authorization', '*.headers.cookie', '*.headers["set-cookie"]', '*.*.headers.authorization', '*.*.headers.cookie'];

function prepare(redactor: Redactor, fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(redactor.redactDeep(fields))) {
    // errors anywhere at the top level get pino's full serializer (type, message, stack, cause chain)
    out[k] = v instanceof Error ? stdSerializers.errWithCause(v) : v;
  }
  return out;
}

function wrap(p: PinoLogger, redactor: Redactor): Mpv2Logger {
  const at = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (p.isLevelEnabled(level)) p[level](prepare(redactor, fields), message);
  };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(p.child(redactor.redactDeep(bindings)), redactor),
    get level() { return p.level as LogLevel; },
  };
}

export function createLogger(opts: CreateLoggerOptions): LoggerHandle {
  const redactor = opts.redactor ?? new Redactor();
  mkdirSync(opts.dir, { recursive: true });
  const file = join(opts.dir, `${opts.runId ?? 'mpv2'}.log`);
  // sync writes: a log line is on disk when the call returns, so a crash or process.exit loses nothing
  const dest: DestinationStream & { end(): void; on(ev: string, cb: () => void): void } = pino.destination({ dest: file, sync: true, mkdir: true, append: true }) as never;
  tighten(file, 0o600); // run logs are the owner's, like the journal (redacted, but still the run's details)
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: opts.runId ? { runId: opts.runId } : {},
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (s) => redactor.redact(s) },
    },
    dest,
  );
  let closed: Promise<void> | undefined;
  return {
    logger: wrap(p, redactor),
    file,
    redactor,
    close() {
      closed ??= new Promise<void>((resolve) => {
        p.flush();
        dest.on('close', () => resolve());
        dest.on('error', () => resolve());
        dest.end();
      });
      return closed;
    },
  };
}
