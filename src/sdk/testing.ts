/**
 * `mpv2/testing`: runs a plugin the way a pipeline step does, without a pipeline. The `ctx` is
 * the engine's own (`createStepContext`) over the stores of a throw-away project folder: the
 * SQLite state (effects, the namespace's key-value store), the keyv call cache, the sandbox of
 * `ctx.resolvePath`. `with` is validated and filled with defaults as in a run, outputs are
 * checked against the output schema, effects keep their real semantics (pending, done,
 * failed, in doubt, dry run, `ready`), and every event the step emits is recorded.
 *
 * No test framework is assumed: failures are thrown, the rest is data to assert on.
 *
 *   const t = createTestContext({ plugin: wordCount, config: { minLength: 2 } });
 *   try {
 *     const out = await t.run({ text: 'a b c' });
 *     t.events; await t.effects();
 *   } finally { await t.close(); }
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyv } from 'keyv';
import { SkipStep, createStepContext } from '../engine/context.js';
import { effectKey } from '../engine/effects.js';
import type { RunEvent, RunEventBody } from '../engine/events.js';
import { LimitRegistry, type LimitSpec } from '../engine/limits.js';
import { callPlugin, checkStepInput, checkStepOutputs } from '../engine/step-io.js';
import { mpv2Error, toMpv2Error } from '../errors.js';
import { LayeredConfig } from '../config/merge.js';
import { collectDefaults, collectWriteOnly } from '../config/schema-walk.js';
import { compileSchema, describeAjvErrors } from '../infra/ajv.js';
import { createBrowserFactory, type BrowserFactoryOptions, type Mpv2BrowserFactory } from '../infra/browser/factory.js';
import { Redactor } from '../infra/redact.js';
import { openState, type State } from '../infra/state.js';
import type { EffectRecord, EffectStatus } from '../infra/store/types.js';
import { createAccountsApi, openAccounts, type AccountsHandle } from '../infra/accounts/index.js';
import type { Account, AccountsApi, JSONSchema, NamespaceDef, PluginDef, StepContext, StepLogger } from '../plugin/types.js';
import { grantsOf, registryIndex, variableOwners, type AccessSources, type PluginIndex } from '../engine/access.js';
import { BUILTIN_NAMESPACES, isBuiltinNamespace, PluginRegistry } from '../plugin/registry.js';

export { SkipStep } from '../engine/context.js';
export type { RunEvent } from '../engine/events.js';
export type { EffectRecord, EffectStatus } from '../infra/store/types.js';

export interface TestContextOptions {
  /**
   * The plugin under test: `run` validates `with` against its input schema (defaults filled),
   * its config section against its config schema, and outputs against its output schema.
   * Without it, `context()` still gives a real `ctx` for calling a plugin's parts directly.
   */
  plugin?: PluginDef;
  /**
   * The plugin module's namespace declaration (its `namespace` export): the config schema its
   * section is checked against (with defaults), and the environment variables it owns. Without
   * it, the plugin's own `config` schema is used and every secret given in `secrets` counts as
   * the namespace's own.
   */
  namespace?: NamespaceDef;
  /** The plugin's config section, as the project config would hold it (secret settings included). */
  config?: Record<string, unknown>;
  /**
   * Other namespaces' sections, for `ctx.configOf` and the services those namespaces offer
   * (which run with them). The plugin must declare them in `uses`, as in a run; without a
   * `plugin` nothing is checked: the context holds every secret and namespace given.
   */
  configs?: Record<string, Record<string, unknown>>;
  /** `ctx.secrets`; every value is also registered with the redactor, as in a run. */
  secrets?: Record<string, string>;
  dryRun?: boolean;
  /** The project folder (sandbox root, `.mpv2/` state); by default a new temporary folder that `close` removes. */
  root?: string;
  /** @default 'test' */
  runId?: string;
  /** @default 'step' */
  /** `ctx.language`: the step's language (a BCP 47 tag), as `language:` in a pipeline sets it. */
  language?: string;
  stepId?: string;
  /** Aborts the step as Ctrl-C or a timeout would. */
  signal?: AbortSignal;
  /** Named limits for `ctx.limit`, as a pipeline's `limits:` declares them. */
  limits?: Record<string, LimitSpec>;
  /**
   * Accounts of the test project, stored as `mpv2 accounts add` stores them (the state database
   * and `.mpv2/credentials.json`), behind the engine's own `ctx.accounts` (rotation, caps, picks
   * journaled per step and item). `secrets` are the account's secret fields.
   */
  accounts?: TestAccount[];
  /** Settings of the real browser factory behind `ctx.browser` (profile locks in `<root>/.mpv2/locks`). */
  browser?: Partial<Omit<BrowserFactoryOptions, 'locksDir' | 'log'>>;
  /** Read the call cache (`ctx.cache.wrap`); false is `--no-cache`. @default true */
  readCache?: boolean;
  /** The clock of `ctx.accounts`: UTC days of the caps, posting slots. @default () => new Date() */
  now?: () => Date;
  /**
   * The sleep of `ctx.accounts.waitForSlot` (reject with E_ABORTED when `signal` aborts); with
   * `now`, a test advances its fake clock here so a wait for a slot takes no time.
   * @default a real, abortable timer
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

export interface TestAccount extends Partial<Omit<Account, 'name' | 'platform'>> {
  name: string;
  platform: string;
  secrets?: Record<string, string>;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** What a dry run's `ctx.effect` wrote to the step folder instead of acting. */
export interface DryRunRecord {
  key: string;
  plugin: string;
  wouldDo: unknown;
}

export interface PluginTestContext {
  readonly root: string;
  readonly runId: string;
  /** Every event of the steps run so far, as `--json` would print them. */
  readonly events: RunEvent[];
  /** Every log line of the steps, with fields and debug lines (events carry info and above, redacted). */
  readonly logs: LogEntry[];
  /** `ctx.progress` updates, in order. */
  readonly progress: Array<{ fraction?: number; message?: string }>;
  /** How many `ctx.cache.wrap` calls (the plugin's, and those of the services it calls) missed the call cache and stored a fresh result. */
  readonly cacheMisses: number;
  /**
   * Runs the plugin once, as one try of a step: `input` is validated and filled with defaults,
   * the outputs are checked. A `ctx.skip()` rejects with `SkipStep` (and records `step.skipped`).
   */
  run(input: Record<string, unknown>, opts?: { index?: number; stepId?: string }): Promise<unknown>;
  /** A fresh `ctx` (one try of a step), for calling a plugin's parts directly. */
  context(opts?: { index?: number; stepId?: string }): StepContext;
  /** The recorded effects, optionally of one status. */
  effects(status?: EffectStatus): Promise<EffectRecord[]>;
  /**
   * Puts an effect back to `pending`, as a crash during its act would leave it, so the next
   * `ctx.effect` with that key must reconcile. Give the plugin's own key (as passed to
   * `ctx.effect`) or a record from `effects()`.
   */
  leaveInDoubt(effect: string | unknown[] | EffectRecord): Promise<void>;
  /** Removes every effect record, as if the acts had never been recorded. */
  clearEffects(): Promise<void>;
  /** What the dry-run effects of a step would have done. */
  dryRunRecords(opts?: { index?: number; stepId?: string }): DryRunRecord[];
  /** Closes browsers and the state database; removes the project folder when this made it. */
  close(): Promise<void>;
}

export function createTestContext(opts: TestContextOptions = {}): PluginTestContext {
  const madeRoot = opts.root === undefined;
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'mpv2-test-'));
  const runId = opts.runId ?? 'test';
  const def = opts.plugin;
  const pluginId = def?.id ?? 'test.plugin';
  const namespace = pluginId.split('.')[0]!;
  const schema = opts.namespace?.config?.schema ?? def?.config;
  const config = schema ? configWithDefaults(schema, opts.config ?? {}, pluginId) : (opts.config ?? {});
  // as the config loader does: the values at `writeOnly` positions of the config are secrets too
  const secrets = { ...(schema ? collectWriteOnly(schema, config, [namespace]) : {}), ...opts.secrets };
  const grants = testGrants(opts, root, namespace, pluginId, config, secrets);
  const redactor = new Redactor(Object.values(secrets));
  let state: State | undefined = openState(root);
  const open = (): State => state ?? (() => { throw mpv2Error('E_USAGE', 'this test context is closed'); })();
  let cacheMisses = 0;
  const keyv = new Keyv({ store: open().keyvStore as never, namespace: 'mpv2' });
  // a call-cache miss stores a fresh result: counted here, so the calls of the services a
  // plugin uses count too, without changing what the engine's cache does
  const store = keyv.set.bind(keyv);
  keyv.set = ((key: string, ...rest: unknown[]) => { if (key.startsWith('call:')) cacheMisses++; return (store as (...a: unknown[]) => Promise<boolean>)(key, ...rest); }) as typeof keyv.set;
  const limits = new LimitRegistry(opts.limits ?? {}, {});
  const events: RunEvent[] = [];
  const logs: LogEntry[] = [];
  const emit = (e: RunEventBody) => { events.push({ ...e, runId, time: new Date().toISOString() } as RunEvent); };
  const record = (level: LogEntry['level']) => (message: string, fields?: Record<string, unknown>) => { logs.push({ level, message, fields }); };
  const log: StepLogger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  let browser: Mpv2BrowserFactory | undefined;
  const browserFactory = () => (browser ??= createBrowserFactory({ lockWaitMs: 0, ...opts.browser, locksDir: join(root, '.mpv2', 'locks'), log }));
  const accounts = openAccounts({ root, kv: open().kv });
  // stored before the first use of ctx.accounts (the stores are async; this function is not)
  const seeded = seedAccounts(accounts, opts.accounts ?? []);
  seeded.catch(() => {}); // reported by the first ctx.accounts call, not as an unhandled rejection
  const accountsFor = (ref: { stepId: string; index?: number; checkPlatform?: (platform: string, act: string) => Promise<void>; signal: AbortSignal }): AccountsApi => {
    const api = createAccountsApi({ ...accounts, redactor, runId, ...ref, log, ...(opts.now && { now: opts.now }), ...(opts.sleep && { sleep: opts.sleep }) });
    const after = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => { await seeded; return fn(...a); };
    return {
      resolve: after(api.resolve), credentials: after(api.credentials), saveCredentials: after(api.saveCredentials),
      recordUse: after(api.recordUse), usesToday: after(api.usesToday), reserveSlot: after(api.reserveSlot), waitForSlot: after(api.waitForSlot),
    };
  };
  const workdirOf = (stepId: string, index?: number) => join(open().runsDir, runId, stepId, ...(index === undefined ? [] : [String(index)]));

  const context = (o: { index?: number; stepId?: string; signal?: AbortSignal } = {}): StepContext => {
    const stepId = o.stepId ?? opts.stepId ?? 'step';
    const s = open();
    const signal = o.signal ?? opts.signal ?? new AbortController().signal;
    const ctx = createStepContext({
      runId, stepId, index: o.index, ...(opts.language !== undefined && { language: opts.language }), pluginId, workdir: workdirOf(stepId, o.index), pipelineDir: root,
      sandbox: { root }, signal, grants,
      limits, keyv, effects: s.effects, kv: s.kv, dryRun: opts.dryRun ?? false, readCache: opts.readCache ?? true,
      redactor, emit, log, accounts: (checkPlatform) => accountsFor({ stepId, signal, ...(o.index !== undefined && { index: o.index }), ...(def && { checkPlatform }) }),
      browser: { open: (b) => browserFactory().open(b) },
    });
    return ctx;
  };

  return {
    root,
    runId,
    events,
    logs,
    get progress() {
      return events.flatMap((e) => (e.event === 'step.progress' ? [{ ...(e.fraction !== undefined && { fraction: e.fraction }), ...(e.message !== undefined && { message: e.message }) }] : []));
    },
    get cacheMisses() { return cacheMisses; },
    context,
    async run(input, o = {}) {
      if (!def) throw mpv2Error('E_USAGE', 'createTestContext was given no `plugin` to run', { hint: 'pass { plugin } to createTestContext' });
      const stepId = o.stepId ?? opts.stepId ?? 'step';
      const ref = { stepId, ...(o.index !== undefined && { index: o.index }) };
      const started = Date.now();
      const withValue = structuredClone(input);
      emit({ event: 'step.started', ...ref, plugin: def.id });
      try {
        checkStepInput(def, withValue, stepId);
        const effect = typeof def.effect === 'function' ? def.effect(withValue) : def.effect === true;
        const signal = opts.signal ?? new AbortController().signal;
        const outputs = await callPlugin(() => def.run(context({ ...o, signal }), withValue), signal, () => undefined, stepId);
        if (!(opts.dryRun && effect)) checkStepOutputs(def, def.outputSchema?.(withValue) ?? def.output, outputs, stepId);
        emit({ event: 'step.finished', ...ref, cached: false, durationMs: Date.now() - started, outputs: redactor.redactDeep(outputs ?? {}) });
        return outputs ?? {};
      } catch (e) {
        if (e instanceof SkipStep) emit({ event: 'step.skipped', ...ref, reason: e.reason });
        else {
          const err = toMpv2Error(e);
          emit({ event: 'step.failed', ...ref, error: { code: err.code, message: redactor.redact(err.message), ...(err.hint && { hint: err.hint }) } });
        }
        throw e;
      }
    },
    effects: (status) => open().effects.list(status ? { status } : {}),
    async leaveInDoubt(effect) {
      const s = open();
      const k = typeof effect === 'object' && !Array.isArray(effect) ? effect.key : effectKey(pluginId, effect);
      const rec = await s.effects.get(k);
      await s.effects.remove(k);
      await s.effects.claim({ key: k, runId: rec?.runId ?? runId, stepId: rec?.stepId ?? opts.stepId ?? 'step', plugin: rec?.plugin ?? pluginId }, { takeOver: false });
    },
    async clearEffects() {
      const s = open();
      for (const r of await s.effects.list()) await s.effects.remove(r.key);
    },
    dryRunRecords(o = {}) {
      const dir = join(workdirOf(o.stepId ?? opts.stepId ?? 'step', o.index), 'dry-run');
      if (!existsSync(dir)) return [];
      return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as DryRunRecord);
    },
    async close() {
      await browser?.closeAll();
      state?.close();
      state = undefined;
      if (madeRoot) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Stores the test accounts as `mpv2 accounts add` would: settings in the state, secrets in the credentials file. */
async function seedAccounts(h: AccountsHandle, list: TestAccount[]): Promise<void> {
  for (const { secrets, profileDir, ...a } of list) {
    if (secrets) { await h.credentials.set(a.name, secrets); }
    await h.store.put({ ...a, settings: a.settings ?? {}, ...(profileDir !== undefined && { profileDir: h.store.storedProfile(profileDir) }), createdAt: new Date(0).toISOString() });
  }
}

/**
 * A namespace's config section as a run hands it to its plugins and `doctor` checks: the
 * schema's defaults under `section`, checked against the schema. For tests that call a
 * plugin's parts (a settings reader, a check) without `createTestContext`.
 */
export function configSection(schema: JSONSchema, section: Record<string, unknown> = {}): Record<string, unknown> {
  return configWithDefaults(schema, section, 'config');
}

/**
 * The config section as a run sees it: the schema's defaults (as the config loader collects
 * them) under the given values, then checked against the schema.
 */
function configWithDefaults(schema: NonNullable<PluginDef['config']>, section: Record<string, unknown>, pluginId: string): Record<string, unknown> {
  const layers = new LayeredConfig();
  layers.apply(collectDefaults(schema), 'default');
  layers.apply(structuredClone(section), 'test');
  const validate = compileSchema(schema);
  if (!validate(layers.values)) {
    const namespace = pluginId.split('.')[0]!;
    const problems = describeAjvErrors(validate.errors ?? [], layers.values, [namespace]).map((d) => d.message);
    throw mpv2Error('E_CONFIG_INVALID', `config for ${pluginId}: ${problems.join('; ')}`, { plugin: pluginId });
  }
  return layers.values;
}

/**
 * What the plugin may read, by the engine's own rules (src/engine/access.ts): its section and
 * secrets, the namespaces it declares in `uses` (their config from `configs`, their services
 * from the built-ins or the plugin itself), and its platforms' account credentials.
 */
function testGrants(opts: TestContextOptions, root: string, namespace: string, pluginId: string, config: Record<string, unknown>, secrets: Record<string, string>) {
  const def = opts.plugin;
  let created: Promise<PluginRegistry> | undefined;
  const plugins = () => (created ??= PluginRegistry.create({ root }));
  let builtins: Promise<PluginIndex> | undefined;
  const registry = () => (builtins ??= plugins().then(registryIndex));
  // another namespace's section as a run holds it, with its schema's defaults: filled once the
  // namespace is loaded (its services run with it)
  const sections = new Map<string, Record<string, unknown>>();
  const withDefaults = async (ns: string) => {
    if (sections.has(ns)) return;
    const reg = await plugins();
    // the namespace's declared section, else its plugins' own `config` (as the config loader takes them)
    const schema = reg.namespaces().find((n) => n.def.namespace === ns)?.def.config?.schema
      ?? reg.all().find((p) => p.def.id.startsWith(`${ns}.`) && p.def.config)?.def.config;
    if (schema) sections.set(ns, configWithDefaults(schema, opts.configs?.[ns] ?? {}, `${ns}.config`));
  };
  const own = def && !isBuiltinNamespace(namespace) ? [def] : undefined;
  const owners = variableOwners([opts.namespace ?? { namespace, config: { schema: {}, secrets: Object.keys(secrets).filter((k) => !k.includes('.')) } }]);
  const index: PluginIndex = {
    namespace: async (ns) => {
      if (ns === namespace && own) return own;
      const defs = await (await registry()).namespace(ns);
      if (ns !== namespace) await withDefaults(ns);
      return defs;
    },
    isBuiltin: isBuiltinNamespace,
    all: async () => [...(await (await registry()).all()), ...(own ?? [])],
    owners: () => owners,
  };
  const section = (ns: string) => (ns === namespace ? config : sections.get(ns) ?? opts.configs?.[ns] ?? {});
  const src: AccessSources = { section, secrets };
  if (def) return grantsOf(index, src, namespace, [def], pluginId);
  // without a plugin nothing is declared, so nothing is checked: the context holds exactly what
  // the test gives it (for calling a namespace's parts directly); services still run by the rules
  const everything = { id: pluginId, uses: [...BUILTIN_NAMESPACES, ...Object.keys(opts.configs ?? {})] } as PluginDef;
  const open = grantsOf(index, src, namespace, [everything], pluginId);
  return { ...open, secrets, configOf: section, checkPlatform: async () => {} };
}
