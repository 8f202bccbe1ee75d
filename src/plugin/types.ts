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
}

export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Entries whose key starts with `prefix`, in key order. */
  list<T = unknown>(prefix: string): Promise<Array<{ key: string; value: T }>>;
}

export interface StepContext {
  readonly runId: string;
  readonly stepId: string;
  /** The item index inside a `foreach` step. */
  readonly index?: number;
  readonly log: StepLogger;
  /** Aborted on timeout, Ctrl-C and SIGTERM. Pass it to every request and child process. */
  readonly signal: AbortSignal;
  /** Shared axios client: keep-alive agents, secrets redacted from its errors. */
  readonly http: AxiosInstance;
  /** Runs `fn` under the named limit (token bucket + concurrency) of the pipeline/config. */
  limit<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Call-level cache: `key` is hashed (canonical JSON); `ttl` undefined means forever. */
  readonly cache: { wrap<T>(key: unknown, ttl: Duration | undefined, fn: () => Promise<T>): Promise<T> };
  /** Every configured secret, by name (e.g. `PEXELS_API_KEY`, `llm.providers.openai.apiKey`). */
  readonly secrets: Readonly<Record<string, string>>;
  /** The plugin's own config section (the namespace before the first dot of its id). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The step's own artifact folder (absolute); created before `run`. */
  readonly workdir: string;
  /** The project root (absolute). */
  readonly root: string;
  /** Resolves a path written in the pipeline (relative to the pipeline file) inside the sandbox. */
  resolvePath(path: string): string;
  /** Persistent key-value store for this plugin's namespace (history, accounts). */
  readonly store: KeyValueStore;
  /** Reports progress; `fraction` in 0..1. */
  progress(update: { fraction?: number; message?: string }): void;
  /** Ends the step as skipped (nothing to do). */
  skip(reason: string): never;
  readonly dryRun: boolean;
  /** Records and runs an external effect exactly once per key (see docs/plugins.md). */
  effect<T>(key: string | unknown[], act: () => Promise<T>, options?: EffectOptions<T>): Promise<T>;
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
  run(ctx: StepContext, input: I): Promise<O> | O;
  /** Health check for `mpv2 doctor`. */
  check?(ctx: CheckContext): Promise<CheckResult | CheckResult[]>;
}

/** A plugin with where it came from, as the registry holds it. */
export interface LoadedPlugin {
  def: PluginDef;
  /** `builtin`, a package name, or a local path. */
  source: string;
  packageName?: string;
  packageVersion?: string;
}
