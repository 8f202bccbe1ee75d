/**
 * One error class for everything mpv2 reports. Codes live in one alphabetical catalogue
 * so they stay stable from release to release; `mpv2Error()` is the single factory.
 */
export const ERROR_CODES = {
  E_ABORTED: 'the run was interrupted (Ctrl-C or SIGTERM)',
  E_ACCOUNT: 'an account is missing, disabled or capped',
  E_AUTH: 'a service rejected the credentials',
  E_CACHE: 'the step cache could not be read or written',
  E_CONFIG_INVALID: 'a config value is wrong',
  E_CYCLE: 'steps depend on each other in a cycle',
  E_DEPENDENCY_MISSING: 'a program or library mpv2 needs is not installed',
  E_DISK_FULL: 'the disk is full (or over quota): a file or the state database could not be written',
  E_DUPLICATE_STEP: 'two steps have the same id',
  E_EFFECT_IN_DOUBT: 'an effect was started but its outcome is unknown',
  E_EFFECT_RESULT_NOT_KEPT: 'an effect was done, but its result held a secret and was not stored, so it cannot be given back',
  E_EXPR_EVAL: 'an expression failed at run time',
  E_EXPR_SYNTAX: 'an expression cannot be parsed',
  E_FILE: 'a file cannot be read or written',
  E_HOST_NOT_ALLOWED: 'a request or redirect aimed at a host outside http.allowHosts; nothing was sent to that host',
  E_HTTP: 'an HTTP request failed',
  E_INPUT_INVALID: 'a pipeline input is missing or has the wrong type',
  E_INPUT_UNKNOWN: 'an input was given that the pipeline does not declare',
  E_INTERNAL: 'a bug in mpv2',
  E_LOCKED: 'a browser profile or file is in use by another process',
  E_MASTER_KEY: 'MPV2_MASTER_KEY is not set or does not open .mpv2/credentials.json',
  E_MISSING_KEY: 'an API key or credential is not configured',
  E_NOT_FOUND: 'a run, step, effect or file does not exist',
  E_PATH_OUTSIDE_ROOT: 'a path escapes the project folder',
  E_PATH_RESERVED: 'a path names one of mpv2\'s own files (.mpv2/, node_modules/, config, lockfiles, .env)',
  E_PIPELINE_CHANGED: 'the pipeline file changed since the run started',
  E_PIPELINE_PARSE: 'the pipeline file is not valid YAML',
  E_PIPELINE_SCHEMA: 'the pipeline does not match the pipeline schema',
  E_PIPELINE_TOO_LARGE: 'the pipeline file is larger than the size cap',
  E_PLUGIN_AMBIGUOUS: 'two plugins have the same id',
  E_PLUGIN_FAILED: 'a plugin failed',
  E_PLUGIN_INPUT_INVALID: 'a step input does not match its plugin input schema',
  E_PLUGIN_LOAD: 'a plugin could not be loaded',
  E_PLUGIN_NOT_FOUND: 'no plugin has that id',
  E_PLUGIN_OUTPUT_INVALID: 'a plugin returned outputs that do not match its output schema',
  E_PLUGIN_PERMISSION: 'a plugin read a namespace, secret or account credentials it has not declared',
  E_QUEUE: 'the shared job queue (Redis) cannot be reached or refused a command',
  E_RATE_LIMITED: 'a service asked us to slow down',
  E_REF_UNKNOWN_OUTPUT: 'an expression reads an output the step does not have',
  E_REF_UNKNOWN_STEP: 'an expression reads a step that does not exist',
  E_RUN_OWNED: 'the run (or the effect) is being run by another live process',
  E_SMTP: 'a mail server refused a message or the connection to it failed',
  E_STATE_CORRUPT: 'the state database .mpv2/state.db is damaged or not a database',
  E_TIMEOUT: 'a step or request took longer than allowed',
  E_USAGE: 'the command line is wrong',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in a file an error was found (1-based line and column). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface Mpv2ErrorOptions {
  loc?: SourceLocation;
  hint?: string;
  step?: string;
  plugin?: string;
  cause?: unknown;
  /** True when trying again can help (network, 5xx, 429, timeouts). */
  retryable?: boolean;
  /** Milliseconds the service asked us to wait (Retry-After, rate-limit reset). */
  retryAfterMs?: number;
  /** HTTP status or process exit status, when there is one. */
  status?: number;
  /** Extra structured details (never secrets). */
  details?: Record<string, unknown>;
  /**
   * True only when the error proves an external act did not happen: nothing left the machine,
   * or the other side refused it. `ctx.effect` then records the act `failed` (it may act again);
   * any other error leaves it `pending`, in doubt.
   */
  notDone?: boolean;
}

export class Mpv2Error extends Error {
  readonly code: ErrorCode;
  loc?: SourceLocation;
  hint?: string;
  step?: string;
  plugin?: string;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
  details?: Record<string, unknown>;
  notDone: boolean;

  constructor(code: ErrorCode, message: string, opts: Mpv2ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'Mpv2Error';
    this.code = code;
    this.loc = opts.loc;
    this.hint = opts.hint;
    this.step = opts.step;
    this.plugin = opts.plugin;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
    this.details = opts.details;
    this.notDone = opts.notDone ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.loc && { loc: this.loc }),
      ...(this.hint && { hint: this.hint }),
      ...(this.step && { step: this.step }),
      ...(this.plugin && { plugin: this.plugin }),
      ...(this.status !== undefined && { status: this.status }),
    };
  }
}

/** The one factory: `throw mpv2Error('E_TIMEOUT', 'step "x" took longer than 2m', { step: 'x' })`. */
export function mpv2Error(code: ErrorCode, message: string, opts?: Mpv2ErrorOptions): Mpv2Error {
  return new Mpv2Error(code, message, opts);
}

export function isMpv2Error(e: unknown): e is Mpv2Error {
  return e instanceof Mpv2Error || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'Mpv2Error' && typeof (e as { code?: unknown }).code === 'string');
}

/** ENOSPC or EDQUOT from a file write, SQLITE_FULL from the state database. */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || (isMpv2Error(e) && e.code === 'E_DISK_FULL');
}

export const DISK_FULL_HINT = 'free space on the disk that holds the project and its .mpv2/ folder (`df -h .`), then continue with `mpv2 resume <runId>`';

/** Wraps any thrown value into an Mpv2Error, keeping an existing one (and its code) as is; a full disk is always E_DISK_FULL. */
export function toMpv2Error(e: unknown, fallback: ErrorCode = 'E_PLUGIN_FAILED', opts?: Mpv2ErrorOptions): Mpv2Error {
  if (isMpv2Error(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (isDiskFull(e)) return new Mpv2Error('E_DISK_FULL', `the disk is full: ${message}`, { hint: DISK_FULL_HINT, ...opts, cause: e });
  return new Mpv2Error(fallback, message, { ...opts, cause: e });
}

/**
 * Marks an error raised before an effect's act could reach anyone (a quota or account check, a
 * login, an upload session that was never opened) as proof that nothing was done.
 */
export function notDone(e: unknown): Mpv2Error {
  const err = toMpv2Error(e);
  err.notDone = true;
  return err;
}

/**
 * Clears the mark: for an error of a later request inside an act whose earlier requests may
 * already have done something (a status check after the upload, say).
 */
export function mayBeDone(e: unknown): Mpv2Error {
  const err = toMpv2Error(e);
  err.notDone = false;
  return err;
}
