/**
 * The plugin API. Third-party plugins import these with `import type` only; everything
 * they use at run time reaches them through the `ctx` argument of `run`.
 */
import type { AxiosInstance } from 'axios';

export type JSONSchema = Record<string, unknown>;

/** A duration: `500ms`, `2s`, `5m`, `1h`, `1d`, or plain milliseconds. */
export type Duration = string | number;

export interface RetrySpec {
  /** Total tries, the first one included. @default 3 for pure steps, 1 for effects */
  attempts?: number;
  /** @default 'exponential' */
  backoff?: 'exponential' | 'fixed';
  /** First delay. @default '1s' */
  initial?: Duration;
  /** Largest delay. @default '60s' */
  max?: Duration;
}

export interface StepLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface EffectOptions<T> {
  /**
   * Called when a previous attempt with the same key was left `pending` (a crash mid-act).
   * Return the recorded result if the platform shows the act happened, `undefined` if it
   * did not (the act then runs again). Without it an in-doubt effect fails E_EFFECT_IN_DOUBT.
   */
  reconcile?: () => Promise<T | undefined>;
  /** After this long, the same key may act again (e.g. `30d` for a repost window). */
  window?: Duration;
  /** What the act would do, written to the step folder in a dry run (no secrets). */
  describe?: unknown;
  /**
   * Work the act needs that is not the act: a pacing wait, rendering, a login. Runs only when
   * the act is due (not already done, not in doubt) and before the effect is recorded pending,
   * so an interruption here leaves nothing in doubt.
   */
  ready?: () => Promise<void>;
}

export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Entries whose key starts with `prefix`, in key order. */
  list<T = unknown>(prefix: string): Promise<Array<{ key: string; value: T }>>;
  /**
   * Sets `key` only if it is not set, atomically across processes and workers (SQLite or Redis):
   * true when this call set it. A lock, a reservation, a first-writer-wins claim.
   */
  add(key: string, value: unknown): Promise<boolean>;
  /** Adds `by` (default 1) to the integer at `key` (0 when unset), atomically; returns the new value. */
  increment(key: string, by?: number): Promise<number>;
}

/** An account on a platform (`mpv2 accounts add`): the non-secret part. */
export interface Account {
  name: string;
  /** `youtube`, `twitter`, `email`, or a third-party plugin's platform. */
  platform: string;
  niche?: string;
  language?: string;
  /** Absolute path of the account's browser profile (browser drivers). */
  profileDir?: string;
  /** Most acts (uploads, posts, emails) per UTC day; unset means no cap. */
  maxPerDay?: number;
  /** Local times it posts at (`["09:00", "18:00"]`), for `publishAt: next-slot` (`reserveSlot`). */
  slots?: string[];
  /** IANA time zone of `slots` (default UTC). */
  timezone?: string;
  disabled?: boolean;
  /** Platform settings that are not secret (driver, channel id, from address …). */
  settings: Record<string, unknown>;
}

/** A named account, or a rotation over the accounts of a platform. */
export type AccountSpec =
  | string
  | { platform: string; pick?: 'round-robin' | 'least-recent' | 'random'; niche?: string; language?: string; names?: string[] };

export interface AccountsApi {
  /**
   * One usable account for a name or a rotation spec. The choice is journaled per run, step
   * and item, so a resume gets the same account. Disabled and capped accounts are skipped
   * with a reason; none left → E_ACCOUNT. Like every method here, only for accounts of a
   * platform the plugin's namespace brings (`accountTypes`): another platform's account, or a
   * rotation over one, fails with E_PLUGIN_PERMISSION.
   */
  resolve(spec: AccountSpec): Promise<Account>;
  /**
   * The account's secret fields, decrypted; every value is registered with the redactor. Only
   * for accounts of a platform the plugin's namespace brings (`accountTypes`): others fail
   * with E_PLUGIN_PERMISSION.
   */
  credentials(name: string): Promise<Record<string, string>>;
  /** Stores updated secrets (e.g. a refreshed OAuth token); same platform rule as `credentials`. */
  saveCredentials(name: string, values: Record<string, string>): Promise<void>;
  /** Counts one act, for `maxPerDay` and least-recent rotation (same platform rule). */
  recordUse(name: string): Promise<void>;
  /** Acts recorded today (UTC) for the account. */
  usesToday(name: string): Promise<number>;
  /**
   * The account's next free posting slot (an ISO instant at least 5 minutes ahead, from its
   * `slots` and `timezone`), reserved for `key` — pass the act's effect key, so a retry or resume
   * gets the same slot back — atomically, so two runs or workers never take the same one. Call it
   * in the effect's `ready`. E_ACCOUNT (`details.reason: 'no-slots'`) when the account has none.
   */
  reserveSlot(name: string, key: string, options?: { /** How far ahead the slot must be at least (the platform's own minimum). @default 5 minutes */ leadMs?: number }): Promise<string>;
  /**
   * For a platform with no scheduling of its own: reserves the slot as `reserveSlot` does, logs
   * `waiting until <time> (<account>'s slot)` and returns (the slot) once it has come, so the act
   * that follows posts at it. Call it in the effect's `ready`: the step's signal (Ctrl-C,
   * SIGTERM, its `timeout:`) ends the wait with E_ABORTED and nothing recorded for the act, and
   * the slot stays held for `key`, so the next run waits for the same one. On a worker a wait
   * longer than `queue.holdWaitUpTo` throws instead: the engine pauses the run until the slot
   * and resumes it then, when this returns the same slot (even though it has come) — let the
   * error through (the engine recognises it even when wrapped).
   */
  waitForSlot(name: string, key: string, options?: {
    /** As for `reserveSlot`. @default 5 minutes */
    leadMs?: number;
    /** The step's `publishAt` (`postAtSchema`): `next-slot` (the default) reserves; an ISO time is waited for as it is. */
    at?: string;
  }): Promise<string>;
}

/** A WebDriver session on Chromium; `driver` is a selenium-webdriver `WebDriver`. */
export interface BrowserSession {
  readonly driver: unknown;
  /** Saves `<name>.png` and `<name>.html` of the current page into `dir`; returns their paths. */
  capture(dir: string, name: string): Promise<{ screenshot?: string; html?: string }>;
  /** Quits the browser and frees the profile lock. Always call it (try/finally). */
  close(): Promise<void>;
}

export interface BrowserFactory {
  /**
   * Opens Chromium through chromedriver (never Selenium Manager). One browser per profile at a
   * time: a second open on the same profile waits for the lock or fails with a clear error.
   */
  open(options: { profileDir?: string; headless?: boolean; signal?: AbortSignal }): Promise<BrowserSession>;
}

export interface StepContext {
  readonly runId: string;
  readonly stepId: string;
  /** The item index inside a `foreach` step. */
  readonly index?: number;
  /**
   * The content's language, a canonical BCP 47 tag (`ja`, `pt-BR`): the step's `language:` or
   * the pipeline's, undefined when neither sets one. Plugins write, speak and render in it.
   */
  readonly language?: string;
  readonly log: StepLogger;
  /** Aborted on timeout, Ctrl-C and SIGTERM. Pass it to every request and child process. */
  readonly signal: AbortSignal;
  /** Shared axios client: keep-alive agents, secrets redacted from its errors. */
  readonly http: AxiosInstance;
  /** Runs `fn` under the named limit (token bucket + concurrency) of the pipeline/config. */
  limit<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Call-level cache: `key` is hashed (canonical JSON); `ttl` undefined means forever. */
  readonly cache: { wrap<T>(key: unknown, ttl: Duration | undefined, fn: () => Promise<T>): Promise<T> };
  /**
   * The secrets that belong to the plugin's namespace, by name: its own `writeOnly` settings
   * (`acme.token`), the environment variables its namespace maps into its config
   * (`PEXELS_API_KEY` for media), and those the plugin declares in `secrets`. Reading one that
   * belongs to another namespace, or one of mpv2's own (`MPV2_MASTER_KEY`, `REDIS_URL`), fails
   * with E_PLUGIN_PERMISSION; a name nobody set reads as `undefined`.
   */
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Marks a value the plugin obtained at run time (a session token, a signed URL, a refreshed
   * access token) as a secret: from now on it is masked, in every encoding, in logs, errors,
   * events, the journal and outputs, like the project's own secrets.
   */
  addSecret(value: string): void;
  /** The plugin's own config section (the namespace before the first dot of its id), its secrets included. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * A namespace's config section: the plugin's own, or one it declares in `uses`, without that
   * namespace's secret settings. Any other fails with E_PLUGIN_PERMISSION.
   */
  configOf(namespace: string): Readonly<Record<string, unknown>>;
  /**
   * Services other namespaces offer, e.g. `ctx.services.llm.complete(request)`; the namespace
   * must be declared in `uses`. The service runs with its own namespace's config and secrets
   * (the caller never sees them) and this step's signal, limits, cache, log and progress.
   */
  readonly services: Readonly<Record<string, Readonly<Record<string, (...args: any[]) => Promise<any>>>>>;
  /** The step's own artifact folder (absolute); created before `run`. */
  readonly workdir: string;
  /** The project root (absolute). */
  readonly root: string;
  /**
   * Resolves a path written in the pipeline (relative to the pipeline file) inside the sandbox,
   * refusing mpv2's own files (E_PATH_RESERVED). Pass `'write'` for a path the plugin will
   * create or replace: under `.mpv2/` only the current run's folder is writable.
   */
  resolvePath(path: string, access?: 'read' | 'write'): string;
  /** Persistent key-value store for this plugin's namespace (history, accounts). */
  readonly store: KeyValueStore;
  /** Reports progress; `fraction` in 0..1. */
  progress(update: { fraction?: number; message?: string }): void;
  /** Ends the step as skipped (nothing to do). */
  skip(reason: string): never;
  readonly dryRun: boolean;
  /** Records and runs an external effect exactly once per key (see docs/writing-plugins.md). */
  effect<T>(key: string | unknown[], act: () => Promise<T>, options?: EffectOptions<T>): Promise<T>;
  /** Accounts of the project (`mpv2 accounts`), with rotation and daily caps. */
  readonly accounts: AccountsApi;
  /** Chromium sessions on persistent profiles. */
  readonly browser: BrowserFactory;
}

/** What a platform plugin needs stored for an account; `mpv2 accounts add` prompts for it. */
export interface AccountType {
  platform: string;
  description: string;
  /** JSON Schema of the account's fields; secrets are `writeOnly: true` (stored encrypted apart). */
  schema: JSONSchema;
  /** Whether `mpv2 accounts login` opens Chromium on the profile (browser sign-in). */
  browserLogin?: boolean;
  /**
   * The platform's own sign-in for `mpv2 accounts login <name>` (e.g. an OAuth installed-app
   * flow); returns the secret fields to store (merged into the account's credentials). When set,
   * `login` runs instead of the plain browser sign-in and may call `ctx.openProfile()` for it.
   */
  login?: (ctx: AccountLoginContext) => Promise<Record<string, string>>;
  /**
   * `mpv2 accounts check`: whether the account's credentials work, by the platform's cheapest
   * call (token validity, scopes, what is left of today's quota). Acts on nothing; a failure is
   * reported as `level: 'error'` (throwing is reported the same way).
   */
  check?: (ctx: AccountCheckContext) => Promise<AccountCheckReport>;
}

/** What `mpv2 accounts check` hands an AccountType's `check`. */
export interface AccountCheckContext {
  readonly account: Account;
  /** The account's stored secrets; given only to the plugin of the account's platform. */
  readonly credentials: Readonly<Record<string, string>>;
  /** The plugin namespace's config section (endpoints). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The namespace's store, as its steps' `ctx.store` (quota counters kept by the plugin). */
  readonly store: KeyValueStore;
  /** The project root (relative paths in settings, e.g. a CA file). */
  readonly root: string;
  readonly http: AxiosInstance;
  /** Aborted at the check's timeout. */
  readonly signal: AbortSignal;
  now(): number;
  /** Marks a value obtained during the check (a session token) as a secret, as `StepContext.addSecret`. */
  addSecret(value: string): void;
}

export interface AccountCheckReport {
  level: 'ok' | 'warn' | 'error';
  /** What was found, without any secret. */
  message: string;
  hint?: string;
  /** The scopes or permissions the token holds, when the platform tells. */
  scopes?: string[];
  /** What is left of the platform's own quota, in its units, e.g. `23 of 25 posts (moving 24 h)`. */
  quota?: string;
}

/** What `mpv2 accounts login` hands an AccountType's `login`. */
export interface AccountLoginContext {
  readonly account: Account;
  /** The account's stored secrets (e.g. the OAuth client id and secret). */
  readonly credentials: Readonly<Record<string, string>>;
  /** The plugin namespace's config section (e.g. `youtube`: OAuth endpoints). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly http: AxiosInstance;
  readonly signal: AbortSignal;
  /** Shows a line to the user on stderr (the URL to open). */
  print(line: string): void;
  /** Opens a URL in the user's browser, if one can be opened; optional. */
  openUrl?(url: string): Promise<void>;
  /** The browser sign-in (`browserLogin`): Chromium on the account's profile, resolved when it closes. */
  openProfile?(): Promise<void>;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  /** `warn` for things that work but not at their best. */
  level?: 'ok' | 'warn' | 'error';
  message: string;
  hint?: string;
}

export interface CheckContext {
  readonly config: Readonly<Record<string, unknown>>;
  /** The namespace's own secrets, as `StepContext.secrets`. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly root: string;
  readonly http: AxiosInstance;
  readonly signal: AbortSignal;
}

export interface PluginDefaults {
  retry?: RetrySpec;
  /** Default step cache TTL (`false`, a duration, or `forever`). */
  cache?: false | Duration | 'forever';
  timeout?: Duration;
}

export interface PluginDef<I = any, O = any> {
  /** `namespace.name`, e.g. `tts.speak`. */
  id: string;
  version: string;
  description: string;
  /** JSON Schema of `with`. Mark input files with `format: "path"` so the cache hashes their content. */
  input?: JSONSchema;
  /** JSON Schema of the outputs; used to check `steps.x.outputs.*` references. */
  output?: JSONSchema;
  /** Output schema computed from the static (expression-free) parts of `with`. */
  outputSchema?: (staticWith: Record<string, unknown>) => JSONSchema | undefined;
  /** JSON Schema of the plugin's config section; secret settings are `writeOnly: true`. */
  config?: JSONSchema;
  /** True for uploads, posts, emails, POSTs: never cached, retried once by default. */
  effect?: boolean | ((input: I) => boolean);
  /** Results may be cached. @default true for non-effects */
  pure?: boolean;
  defaults?: PluginDefaults;
  /** Account types this plugin brings (fields `mpv2 accounts add <platform>` asks for); its namespace may read their credentials. */
  accountTypes?: AccountType[];
  /**
   * Other namespaces this plugin reads: their services (`ctx.services.llm`) and their config
   * without secrets (`ctx.configOf('llm')`). Shown by `mpv2 plugins list`.
   */
  uses?: string[];
  /**
   * Secrets beyond the namespace's own that the plugin reads from `ctx.secrets`, by name
   * (e.g. `['OPENAI_API_KEY']` for a plugin that calls OpenAI with the user's key). Shown by
   * `mpv2 plugins list`; mpv2's own (`MPV2_MASTER_KEY`, `REDIS_URL`) are never given.
   */
  secrets?: string[];
  /**
   * Functions this plugin's namespace offers other plugins (`ctx.services.<ns>.<name>(…args)`).
   * Each is called with a context of its own namespace (its config and secrets) bound to the
   * calling step, then the caller's arguments.
   */
  services?: Record<string, ServiceFn>;
  run(ctx: StepContext, input: I): Promise<O> | O;
  /** Health check for `mpv2 doctor`. */
  check?(ctx: CheckContext): Promise<CheckResult | CheckResult[]>;
}

/** A service a namespace offers: `ctx.services.<ns>.<name>(...args)` calls it as `fn(ownCtx, ...args)`. */
export type ServiceFn = (ctx: StepContext, ...args: any[]) => Promise<unknown>;

/** A plugin with where it came from, as the registry holds it. */
export interface LoadedPlugin {
  def: PluginDef;
  /** `builtin`, a package name, or a local path. */
  source: string;
  packageName?: string;
  packageVersion?: string;
}

/**
 * The config section a namespace brings: its schema, and the environment variables that set
 * values in it. A variable maps only while its namespace is loaded (a pipeline that uses no
 * `media.*` step never reads PEXELS_API_KEY); `mpv2 config show` and `doctor` load every one.
 */
export interface NamespaceConfig {
  /** JSON Schema of the section; secret settings are `writeOnly: true`. */
  schema: JSONSchema;
  /**
   * Environment variable → the setting it fills, as a path inside the section
   * (`{ PEXELS_API_KEY: 'pexels.apiKey' }` for `media`). The environment wins over the config
   * file. A variable that fills a `writeOnly` setting is also a secret under its own name.
   */
  env?: Record<string, string>;
  /**
   * Environment variables the namespace reads as secrets by their name only, with no setting
   * of its own (e.g. `OPENAI_API_KEY` for a provider whose key also sits in another section).
   */
  secrets?: string[];
}

/** What a contributed command hands back to the CLI through its context. */
export interface CommandContext {
  /** The project root (absolute). */
  readonly root: string;
  /** The namespace's own config section (defaults filled in), as its steps see `ctx.config`. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * The namespace's own secrets, as its steps see `ctx.secrets`: reading another namespace's,
   * or mpv2's own, fails with E_PLUGIN_PERMISSION.
   */
  readonly secrets: Readonly<Record<string, string>>;
  /** The namespace's key-value store, the one its steps see as `ctx.store`. */
  readonly store: KeyValueStore;
  /** The project's recorded effects (uploads, posts, emails), read-only, newest first. */
  effects(): Promise<import('../infra/store/types.js').EffectRecord[]>;
  /** Prints a line on stdout, secrets redacted. */
  log(line: string): void;
}

/**
 * A CLI command a namespace adds: `mpv2 <namespace> <name>`. Flags and args are oclif's
 * (`Flags`, `Args` from `mpv2/plugin`); `--project` and `--verbose` come with every command, and
 * errors thrown from `run` print like mpv2's own (code, message, hint, exit code).
 */
export interface CommandDef {
  summary: string;
  description?: string;
  /** Lines of usage; `<%= config.bin %>` is the CLI's name. */
  examples?: string[];
  flags?: Record<string, unknown>;
  args?: Record<string, unknown>;
  /** Accept any number of arguments (read them from `argv`). @default true */
  strict?: boolean;
  run(ctx: CommandContext, parsed: { args: Record<string, any>; flags: Record<string, any>; argv: string[] }): Promise<void>;
}

/** One step as the run journal holds it, for a namespace's run-report summary. */
export interface ReportedStep {
  stepId: string;
  plugin: string;
  /** `-1` for a whole step, the item index inside a `foreach`. */
  index: number;
  status: string;
  /** The step result came from the step cache. */
  cached: boolean;
  outputs?: unknown;
}

/**
 * A summary `mpv2 runs show` adds for a namespace (e.g. the llm's token counts and cost):
 * `summarize` sees the leaf records of every step of the run (a `foreach` step's items, or the
 * step itself) and returns JSON (shown under the namespace's key with `--json`), `lines` the
 * text it prints, or none.
 */
export interface RunReportContribution<S = unknown> {
  summarize(steps: ReportedStep[]): S;
  lines(summary: S): string[];
}

/**
 * What a plugin module's namespace contributes besides its steps; exported as `namespace`
 * (one, or a list) next to the default export of plugins. Built-in and third-party namespaces
 * declare the same way; mpv2's core knows none of them by name.
 */
export interface NamespaceDef {
  /** The namespace (the part of plugin ids before the first dot). */
  namespace: string;
  /** One line for `mpv2 --help` above the namespace's commands. */
  description?: string;
  config?: NamespaceConfig;
  /** `mpv2 <namespace> <name>` commands, by name. */
  commands?: Record<string, CommandDef>;
  /** A summary for `mpv2 runs show`. */
  reportLines?: RunReportContribution<any>;
  /**
   * Health checks for `mpv2 doctor` (tools, keys, endpoints the namespace needs), with the
   * namespace's config. (Account platforms stay on the plugins that act on them: `accountTypes`.)
   */
  doctorChecks?(ctx: CheckContext): Promise<CheckResult | CheckResult[]>;
  /**
   * The namespace's own error codes (`<namespace>/<NAME>`, raised with `pluginError`), each with
   * what it means; mpv2's catalogue (`src/errors.ts`) holds only the core's codes.
   */
  errors?: Record<`${string}/${string}`, { summary: string; hint?: string }>;
}
