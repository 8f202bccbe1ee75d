/**
 * A small real StepContext for plugin tests: a real HTTP client and sandbox, in-memory
 * cache, effects and store. Tests of the engine use the engine's own context instead.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account, AccountsApi, StepContext, StepLogger } from '../../src/plugin/types.js';
import { createHttpClient } from '../../src/infra/http.js';
import { resolveStepPath } from '../../src/infra/paths.js';
import { hashValue } from '../../src/infra/hash.js';
import { mpv2Error } from '../../src/errors.js';
import { registryIndex, servicesOf, unknownService, type PluginIndex } from '../../src/engine/access.js';
import { PluginRegistry } from '../../src/plugin/registry.js';
import { createBrowserFactory, type BrowserFactoryOptions, type Mpv2BrowserFactory } from '../../src/infra/browser/factory.js';

export class SkipSignal extends Error {
  constructor(readonly reason: string) { super(`skipped: ${reason}`); }
}

export interface TestContext extends StepContext {
  logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
  progressUpdates: Array<{ fraction?: number; message?: string }>;
  effects: Map<string, { status: 'done' | 'pending'; result?: unknown }>;
  /** What effects would have done in a dry run. */
  dryRunEffects: Array<{ key: string; describe?: unknown }>;
  cacheMisses: number;
  /** Closes every browser the test opened through `ctx.browser` (call it in afterEach). */
  closeBrowsers(): Promise<void>;
}

export function makeTestContext(opts: {
  root?: string;
  workdir?: string;
  config?: Record<string, unknown>;
  /** Other namespaces' sections for `ctx.configOf`, and the config of their services (`ctx.services.llm` runs with `configs.llm`). */
  configs?: Record<string, Record<string, unknown>>;
  secrets?: Record<string, string>;
  dryRun?: boolean;
  signal?: AbortSignal;
  stepId?: string;
  /** Accounts for `ctx.accounts` (in memory; the engine uses the real store). */
  accounts?: Array<Partial<Account> & { name: string; platform: string }>;
  credentials?: Record<string, Record<string, string>>;
  /** Settings of the real browser factory behind `ctx.browser` (locks in `<root>/.mpv2/locks`). */
  browser?: Partial<Omit<BrowserFactoryOptions, 'locksDir' | 'log'>>;
} = {}): TestContext {
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'mpv2-test-'));
  const workdir = opts.workdir ?? join(root, '.mpv2', 'runs', 'test', opts.stepId ?? 'step');
  mkdirSync(workdir, { recursive: true });
  const logs: TestContext['logs'] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => { logs.push({ level, message, fields }); };
  const logger: StepLogger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const cache = new Map<string, unknown>();
  const effects = new Map<string, { status: 'done' | 'pending'; result?: unknown }>();
  const kv = new Map<string, unknown>();
  let browser: Mpv2BrowserFactory | undefined;
  const factory = () => (browser ??= createBrowserFactory({ lockWaitMs: 0, ...opts.browser, locksDir: join(root, '.mpv2', 'locks'), log: logger }));
  const ctx: TestContext = {
    runId: 'test-run',
    stepId: opts.stepId ?? 'step',
    log: logger,
    logs,
    progressUpdates: [],
    effects,
    dryRunEffects: [],
    cacheMisses: 0,
    signal: opts.signal ?? new AbortController().signal,
    http: createHttpClient(),
    limit: (_name, fn) => fn(),
    cache: {
      async wrap(key, _ttl, fn) {
        const k = hashValue(key);
        if (cache.has(k)) return cache.get(k) as never;
        ctx.cacheMisses++;
        const v = await fn();
        cache.set(k, v);
        return v;
      },
    },
    secrets: opts.secrets ?? {},
    config: opts.config ?? {},
    configOf: (ns) => opts.configs?.[ns] ?? {},
    services: builtinServices((ns) => ({ ...ctx, config: opts.configs?.[ns] ?? {} })),
    workdir,
    root,
    resolvePath: (p, access) => resolveStepPath({ root }, root, p, { access, runId: 'test' }),
    store: {
      async get(key) { return kv.get(key) as never; },
      async set(key, value) { kv.set(key, value); },
      async delete(key) { kv.delete(key); },
      async list(prefix) {
        return [...kv.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value })) as never;
      },
    },
    progress(u) { ctx.progressUpdates.push(u); },
    skip(reason) { throw new SkipSignal(reason); },
    dryRun: opts.dryRun ?? false,
    accounts: memoryAccounts(opts.accounts ?? [], opts.credentials ?? {}),
    browser: {
      open: (o = {}) => factory().open({ ...o, signal: o.signal && opts.signal ? AbortSignal.any([opts.signal, o.signal]) : (o.signal ?? opts.signal) }),
    },
    closeBrowsers: async () => { await browser?.closeAll(); },
    async effect(key, act, o) {
      const k = typeof key === 'string' ? key : hashValue(key);
      // like the engine: a dry run only describes the act (see src/engine/effects.ts)
      if (ctx.dryRun) { ctx.dryRunEffects.push({ key: k, describe: o?.describe }); return undefined as never; }
      const prev = effects.get(k);
      if (prev?.status === 'done') return prev.result as never;
      if (prev?.status === 'pending') {
        const r = o?.reconcile ? await o.reconcile() : undefined;
        if (r !== undefined) { effects.set(k, { status: 'done', result: r }); return r; }
        if (!o?.reconcile) throw mpv2Error('E_EFFECT_IN_DOUBT', `effect ${k} is in doubt`);
      }
      await o?.ready?.();
      effects.set(k, { status: 'pending' });
      let result;
      try {
        result = await act();
      } catch (e) {
        // like the engine: only an error that proves nothing was done (`notDone`) lets the act
        // run again; any other stays pending (in doubt), as after a crash
        if ((e as { notDone?: unknown }).notDone === true) effects.delete(k);
        throw e;
      }
      effects.set(k, { status: 'done', result });
      return result;
    },
  };
  return ctx;
}

/**
 * `ctx.services` over the built-in namespaces, found through the engine's own registry; each
 * service runs with `view(ns)` (the test context with that namespace's config).
 */
function builtinServices(view: (ns: string) => StepContext): StepContext['services'] {
  let index: Promise<PluginIndex> | undefined;
  const plugins = () => (index ??= PluginRegistry.create({ root: tmpdir() }).then(registryIndex));
  const call = (ns: string, name: string) => async (...args: unknown[]) => {
    const fns = servicesOf(await (await plugins()).namespace(ns));
    if (!fns[name]) throw unknownService(ns, name, Object.keys(fns));
    return fns[name]!(view(ns), ...args);
  };
  return new Proxy({}, {
    get: (_t, ns) => (typeof ns !== 'string' || ns === 'then' ? undefined : new Proxy({}, { get: (_u, name) => (typeof name !== 'string' || name === 'then' ? undefined : call(ns, name)) })),
  });
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
