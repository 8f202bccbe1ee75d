/**
 * One error class for everything mpv2 reports, and one catalogue of its codes. Codes stay
 * stable from release to release; each has a summary, a docs anchor (docs/errors.md), the
 * exit code class it stops the CLI with, whether trying again helps by default, and a hint
 * where one hint fits every case. `mpv2Error()` is the single factory: it fills what the
 * raiser leaves out from the catalogue. Plugins raise their own namespaced codes with
 * `pluginError()`; the engine carries them as E_PLUGIN_FAILED with `pluginCode`.
 */

/** One code's entry. `exit: 2` for bad input (the user's command, pipeline, inputs or config), 1 for a failure while running. */
export interface ErrorEntry {
  summary: string;
  exit: 1 | 2;
  retryable: boolean;
  /** Given when the raiser gives none; only where one hint fits every case. */
  hint?: string;
}

/** The hint for a full disk, wherever it is found. */
export const DISK_FULL_HINT = 'free space on the disk that holds the project and its .mpv2/ folder (`df -h .`), then continue with `mpv2 resume <runId>`';

const failure = (summary: string, more: Partial<ErrorEntry> = {}): ErrorEntry => ({ summary, exit: 1, retryable: false, ...more });
const badInput = (summary: string, more: Partial<ErrorEntry> = {}): ErrorEntry => ({ summary, exit: 2, retryable: false, ...more });

/** Alphabetical. `satisfies` keeps each key's literal type; ErrorCode is derived from the keys, so every code has an entry. */
export const ERRORS = {
  E_ABORTED: failure('the run was interrupted (Ctrl-C or SIGTERM)'),
  E_ACCOUNT: failure('an account is missing, disabled or capped'),
  E_APPROVAL_DECIDED: badInput('the approval was already decided (approved or rejected); a decision is made once', { hint: '`mpv2 approvals --all` shows every approval and its decision' }),
  E_APPROVAL_STALE: failure('an approval was given for other inputs of the step than it has now; nothing was done', { hint: 'start a new run: it asks for approval again with a fresh preview' }),
  E_AUTH: failure('a service rejected the credentials'),
  E_CACHE: failure('the step cache could not be read or written'),
  E_CONFIG_INVALID: badInput('a config value is wrong'),
  E_CYCLE: badInput('steps depend on each other in a cycle'),
  E_DEPENDENCY_MISSING: failure('a program or library mpv2 needs is not installed', { hint: '`mpv2 doctor` lists what is missing and how to install it' }),
  E_DISK_FULL: failure('the disk is full (or over quota): a file or the state database could not be written', { hint: DISK_FULL_HINT }),
  E_DUPLICATE_STEP: badInput('two steps have the same id'),
  E_EFFECT_IN_DOUBT: failure('an effect was started but its outcome is unknown'),
  E_EFFECT_RESULT_NOT_KEPT: failure('an effect was done, but its result held a secret and was not stored, so it cannot be given back'),
  E_EXPR_EVAL: failure('an expression failed at run time'),
  E_EXPR_SYNTAX: badInput('an expression cannot be parsed'),
  E_FILE: failure('a file cannot be read or written'),
  E_HOST_NOT_ALLOWED: failure('a request or redirect aimed at a host outside http.allowHosts; nothing was sent to that host', { hint: 'add the host to `http.allowHosts` in the config if it is meant to be reached' }),
  E_HTTP: failure('an HTTP request failed'),
  E_INPUT_INVALID: badInput('a pipeline input is missing or has the wrong type'),
  E_INPUT_UNKNOWN: badInput('an input was given that the pipeline does not declare'),
  E_INTERNAL: failure('a bug in mpv2', { hint: 'this is a bug in mpv2; please report it with the command you ran' }),
  E_LOCKED: failure('a browser profile or file is in use by another process'),
  E_MASTER_KEY: badInput('MPV2_MASTER_KEY is not set or does not open .mpv2/credentials.json'),
  E_MISSING_KEY: failure('an API key or credential is not configured'),
  E_NOT_FOUND: badInput('a run, step, effect or file does not exist'),
  E_PATH_OUTSIDE_ROOT: badInput('a path escapes the project folder'),
  E_PATH_RESERVED: badInput('a path names one of mpv2\'s own files (.mpv2/, node_modules/, config, lockfiles, .env)'),
  E_PIPELINE_CHANGED: badInput('the pipeline file changed since the run started', { hint: 'resume with --force to continue with the changed file, or start a new run' }),
  E_PIPELINE_PARSE: badInput('the pipeline file is not valid YAML'),
  E_PIPELINE_SCHEMA: badInput('the pipeline does not match the pipeline schema'),
  E_PIPELINE_TOO_LARGE: badInput('the pipeline file is larger than the size cap'),
  E_PLUGIN_AMBIGUOUS: badInput('two plugins have the same id'),
  E_PLUGIN_FAILED: failure('a plugin failed'),
  E_PLUGIN_INPUT_INVALID: badInput('a step input does not match its plugin input schema'),
  E_PLUGIN_LOAD: failure('a plugin could not be loaded'),
  E_PLUGIN_NOT_FOUND: badInput('no plugin has that id', { hint: '`mpv2 plugins list` shows the available plugins' }),
  E_PLUGIN_OUTPUT_INVALID: failure('a plugin returned outputs that do not match its output schema'),
  E_PLUGIN_PERMISSION: failure('a plugin read a namespace, secret or account credentials it has not declared'),
  E_QUEUE: failure('the shared job queue (Redis) cannot be reached or refused a command'),
  E_RATE_LIMITED: failure('a service asked us to slow down', { retryable: true }),
  E_REF_UNKNOWN_OUTPUT: badInput('an expression reads an output the step does not have'),
  E_REF_UNKNOWN_STEP: badInput('an expression reads a step that does not exist'),
  E_RUN_OWNED: failure('the run (or the effect) is being run by another live process'),
  E_STATE_CORRUPT: failure('the state database .mpv2/state.db is damaged or not a database'),
  E_TIMEOUT: failure('a step or request took longer than allowed'),
  E_UNAUTHORIZED: badInput('a request to `mpv2 serve` carried no token, or a wrong one', { hint: 'send `Authorization: Bearer <token>` (the token `mpv2 serve` printed, or MPV2_SERVE_TOKEN), or sign in at /signin' }),
  E_USAGE: badInput('the command line is wrong'),
} satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

/** Code → summary (the public list in `mpv2`'s main export). */
export const ERROR_CODES = Object.fromEntries(Object.entries(ERRORS).map(([c, e]) => [c, e.summary])) as Record<ErrorCode, string>;

/** Where a code is explained: `docs/errors.md#e_timeout`. */
export function errorDocs(code: ErrorCode): string {
  return `docs/errors.md#${code.toLowerCase()}`;
}

/** The exit code class of an error: 2 for bad input, 1 for anything else (a plain Error included). */
export function exitClassOf(e: unknown): 1 | 2 {
  return isMpv2Error(e) && (ERRORS as Record<string, ErrorEntry | undefined>)[e.code]?.exit === 2 ? 2 : 1;
}

/** Where in a file an error was found (1-based line and column). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface Mpv2ErrorOptions {
  loc?: SourceLocation;
  /** What to do about it; the catalogue's hint for the code when not given. */
  hint?: string;
  step?: string;
  plugin?: string;
  /** A plugin's own code, `<namespace>/<NAME>` (see pluginError). */
  pluginCode?: PluginErrorCode;
  cause?: unknown;
  /** True when trying again can help (network, 5xx, 429, timeouts); the catalogue's default for the code when not given. */
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
  pluginCode?: PluginErrorCode;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
  details?: Record<string, unknown>;
  notDone: boolean;

  constructor(code: ErrorCode, message: string, opts: Mpv2ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    const entry = (ERRORS as Record<string, ErrorEntry | undefined>)[code];
    this.name = 'Mpv2Error';
    this.code = code;
    this.loc = opts.loc;
    this.hint = opts.hint ?? entry?.hint;
    this.step = opts.step;
    this.plugin = opts.plugin;
    this.pluginCode = opts.pluginCode;
    this.retryable = opts.retryable ?? entry?.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
    this.details = opts.details;
    this.notDone = opts.notDone ?? false;
  }

  /** The one error shape of `--json` output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      ...(this.pluginCode && { pluginCode: this.pluginCode }),
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

/** A plugin's own error code: its namespace, a slash, and a name in capitals (`outreach/SMTP_REJECTED`). */
export type PluginErrorCode = `${string}/${string}`;

const PLUGIN_CODE = /^[a-z][a-z0-9-]*\/[A-Z][A-Z0-9_]*$/;

export type PluginErrorOptions = Pick<Mpv2ErrorOptions, 'hint' | 'retryable' | 'retryAfterMs' | 'status' | 'cause' | 'notDone' | 'details'>;

/**
 * A plugin's error with its own code, for plugins' users to tell failures apart (and for
 * docs to explain them): `throw pluginError('outreach/SMTP_REJECTED', 'the server refused …',
 * { hint, notDone: true })`. It is an E_PLUGIN_FAILED carrying `pluginCode`; the engine adds
 * the plugin id and the step, as rollup wraps a plugin's error in PLUGIN_ERROR.
 */
export function pluginError(code: PluginErrorCode, message: string, opts: PluginErrorOptions = {}): Mpv2Error {
  // a malformed code is the plugin author's mistake: say so rather than print a code no one can look up
  if (!PLUGIN_CODE.test(code)) throw new TypeError(`pluginError: "${code}" is not a plugin error code; write "<namespace>/<NAME>", e.g. "outreach/SMTP_REJECTED"`);
  return new Mpv2Error('E_PLUGIN_FAILED', message, { ...opts, pluginCode: code });
}

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
