/**
 * The old plugin-test helper, kept as a thin layer over `mpv2/testing` (the engine's own step
 * context over a temporary project) so tests written against it keep their shape: a `ctx` with
 * `logs`, `progressUpdates` and `cacheMisses`. New tests use `createTestContext` directly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestContext, SkipStep, type EffectRecord, type EffectStatus, type LogEntry } from 'mpv2/testing';
import { mpv2Error, type Account, type AccountsApi, type StepContext } from 'mpv2/plugin';
import type { BrowserFactoryOptions } from '../../src/infra/browser/factory.js';

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
  config?: Record<string, unknown>;
  /** Other namespaces' sections for `ctx.configOf`. */
  configs?: Record<string, Record<string, unknown>>;
  secrets?: Record<string, string>;
  dryRun?: boolean;
  signal?: AbortSignal;
  stepId?: string;
  runId?: string;
  /** Accounts for `ctx.accounts` (in memory; the engine uses the real store). */
  accounts?: Array<Partial<Account> & { name: string; platform: string }>;
  credentials?: Record<string, Record<string, string>>;
  /** Settings of the real browser factory behind `ctx.browser` (locks in `<root>/.mpv2/locks`). */
  browser?: Partial<Omit<BrowserFactoryOptions, 'locksDir' | 'log'>>;
} = {}): TestContext {
  const t = createTestContext({
    root: opts.root ?? mkdtempSync(join(tmpdir(), 'mpv2-test-')),
    config: opts.config, configs: opts.configs, secrets: opts.secrets, dryRun: opts.dryRun, signal: opts.signal,
    stepId: opts.stepId, runId: opts.runId, browser: opts.browser,
    accounts: memoryAccounts(opts.accounts ?? [], opts.credentials ?? {}),
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

/** In-memory accounts: names resolve directly; a rotation spec picks round-robin among usable ones. */
export function memoryAccounts(list: Array<Partial<Account> & { name: string; platform: string }>, creds: Record<string, Record<string, string>>): AccountsApi & { uses: Map<string, number> } {
  const all: Account[] = list.map((a) => ({ settings: {}, ...a }));
  const uses = new Map<string, number>();
  let turn = 0;
  const usable = (a: Account) => !a.disabled && (a.maxPerDay === undefined || (uses.get(a.name) ?? 0) < a.maxPerDay);
  return {
    uses,
    async resolve(spec) {
      if (typeof spec === 'string') {
        const a = all.find((x) => x.name === spec);
        if (!a) throw mpv2Error('E_ACCOUNT', `no account named "${spec}"`);
        if (!usable(a)) throw mpv2Error('E_ACCOUNT', `account "${spec}" is disabled or capped`);
        return a;
      }
      const pool = all.filter((a) => a.platform === spec.platform && (!spec.niche || a.niche === spec.niche) && (!spec.names || spec.names.includes(a.name)) && usable(a));
      // details.reason as the real store gives it: `none` (no account of the platform at all) or `excluded`
      if (pool.length === 0) throw mpv2Error('E_ACCOUNT', `no usable ${spec.platform} account`, { details: { reason: all.some((a) => a.platform === spec.platform) ? 'excluded' : 'none' } });
      return pool[turn++ % pool.length]!;
    },
    async credentials(name) { return { ...(creds[name] ?? {}) }; },
    async saveCredentials(name, values) { creds[name] = { ...(creds[name] ?? {}), ...values }; },
    async recordUse(name) { uses.set(name, (uses.get(name) ?? 0) + 1); },
    async usesToday(name) { return uses.get(name) ?? 0; },
  };
}
