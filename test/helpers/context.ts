/**
 * The old plugin-test helper, kept as a thin layer over `mpv2/testing` (the engine's own step
 * context over a temporary project) so tests written against it keep their shape: a `ctx` with
 * `logs`, `progressUpdates` and `cacheMisses`. New tests use `createTestContext` directly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSection, createTestContext, SkipStep, type EffectRecord, type EffectStatus, type LogEntry, type TestContextOptions } from 'mpv2/testing';
import type { Account, JSONSchema, StepContext } from 'mpv2/plugin';

/** What `ctx.skip()` throws (the engine's own). */
export { SkipStep as SkipSignal };

export interface TestContext extends StepContext {
  logs: LogEntry[];
  readonly progressUpdates: Array<{ fraction?: number; message?: string }>;
  readonly cacheMisses: number;
  /** The effect records in the test project's state (the engine's own effect store). */
  recordedEffects(status?: EffectStatus): Promise<EffectRecord[]>;
  /** Puts an effect back to pending, as a crash mid-act leaves it (see `mpv2/testing`). */
  leaveInDoubt(effect: EffectRecord): Promise<void>;
  clearEffects(): Promise<void>;
  /** Closes every browser the test opened through `ctx.browser` (call it in afterEach). */
  closeBrowsers(): Promise<void>;
}

export function makeTestContext(opts: {
  root?: string;
  /** The namespace declaration (a plugin module's `namespace` export): `config` is checked and filled with its defaults, as a run's config is. */
  namespace?: TestContextOptions['namespace'];
  config?: Record<string, unknown>;
  /** The namespace's config schema: `config` gets its defaults, as the config loader fills them in a run. */
  configSchema?: JSONSchema;
  /** Other namespaces' sections for `ctx.configOf`. */
  configs?: Record<string, Record<string, unknown>>;
  secrets?: Record<string, string>;
  dryRun?: boolean;
  signal?: AbortSignal;
  stepId?: string;
  runId?: string;
  /** Accounts of the test project (the real store), with their secrets in `credentials`. */
  accounts?: Array<Partial<Account> & { name: string; platform: string }>;
  credentials?: Record<string, Record<string, string>>;
  /** Settings of the real browser factory behind `ctx.browser` (locks in `<root>/.mpv2/locks`). */
  browser?: TestContextOptions['browser'];
  /** The clock of `ctx.accounts` (caps, posting slots). */
  now?: () => Date;
} = {}): TestContext {
  const t = createTestContext({
    root: opts.root ?? mkdtempSync(join(tmpdir(), 'mpv2-test-')),
    namespace: opts.namespace, config: opts.configSchema ? configSection(opts.configSchema, opts.config) : opts.config, configs: opts.configs, secrets: opts.secrets, dryRun: opts.dryRun, signal: opts.signal,
    stepId: opts.stepId, runId: opts.runId, browser: opts.browser, now: opts.now,
    accounts: (opts.accounts ?? []).map((a) => ({ ...a, secrets: opts.credentials?.[a.name] })),
  });
  const ctx = t.context();
  const extra = {
    logs: t.logs,
    get progressUpdates() { return t.progress; },
    get cacheMisses() { return t.cacheMisses; },
    recordedEffects: (status?: EffectStatus) => t.effects(status),
    leaveInDoubt: (effect: EffectRecord) => t.leaveInDoubt(effect),
    clearEffects: () => t.clearEffects(),
    closeBrowsers: () => t.close(),
  };
  // the engine's ctx has getters (http, accounts) that must stay lazy: copy descriptors, not values
  return Object.defineProperties(extra, Object.getOwnPropertyDescriptors(ctx)) as unknown as TestContext;
}
