/** Builds the `ctx` a plugin's `run` receives: everything it may touch, nothing else. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import type { AxiosInstance } from 'axios';
import type { Keyv } from 'keyv';
import { createHttpClient, type HttpPolicy } from '../infra/http.js';
import { parseDuration } from '../infra/duration.js';
import { hashValue } from '../infra/hash.js';
import { resolveStepPath, type Sandbox } from '../infra/paths.js';
import type { Redactor } from '../infra/redact.js';
import { namespaceKv, type EffectStore, type KvStore } from '../infra/store/types.js';
import { mpv2Error } from '../errors.js';
import type { AccountsApi, BrowserFactory, StepContext, StepLogger } from '../plugin/types.js';
import { missingUses, unknownService, type Grants } from './access.js';
import type { EventSink, RunEventBody } from './events.js';
import { makeEffect } from './effects.js';
import type { LimitRegistry } from './limits.js';

/** Thrown by `ctx.skip()`; the runner turns it into `step.skipped`. */
export class SkipStep extends Error {
  constructor(readonly reason: string) {
    super(`skipped: ${reason}`);
    this.name = 'SkipStep';
  }
}

export interface ContextDeps {
  runId: string;
  stepId: string;
  index?: number;
  /** The step's language (canonical BCP 47), for `ctx.language`. */
  language?: string;
  pluginId: string;
  workdir: string;
  pipelineDir: string;
  sandbox: Sandbox;
  signal: AbortSignal;
  /** What the plugin may read: its namespace's config and secrets, declared namespaces and services (./access.ts). */
  grants: Grants;
  /** The shared client's rules from the config's \`http\` section (allowHosts, maxSockets). */
  httpPolicy?: HttpPolicy;
  limits: LimitRegistry;
  /** The step's own `limit:`: every request through ctx.http after the first takes a token. */
  stepLimit?: string;
  keyv: Keyv;
  effects: EffectStore;
  kv: KvStore;
  dryRun: boolean;
  /** False under --no-cache and `cache: false`: call-level results are refreshed, not read. */
  readCache: boolean;
  redactor: Redactor;
  emit: (e: RunEventBody) => void;
  log: StepLogger;
  /** The run's browser factory (`src/infra/browser`); each step's opens follow its abort signal. */
  browser?: BrowserFactory;
  /** Accounts bound to this run, step and item (`src/infra/accounts`), so picks are journaled per item; every call passes `checkPlatform`. */
  accounts?: (checkPlatform: Grants['checkPlatform']) => AccountsApi;
  /** Keys of effects this step's earlier tries left in doubt, when its `retry:` says acts are safe to repeat. */
  repeatable?: Set<string>;
  /** The step waits for approval before its first act (./approval-gate.ts). */
  approve?: (key: string, describe: unknown) => Promise<void>;
}

export function createStepContext(d: ContextDeps): StepContext {
  mkdirSync(d.workdir, { recursive: true });
  const ref = { stepId: d.stepId, ...(d.index !== undefined && { index: d.index }) };
  const onWait = (limit: string) => (waitMs: number) => d.emit({ event: 'step.waiting', ...ref, limit, waitMs });
  const stepToken = stepTokenTaker(d, onWait);
  const makeLog = (): StepLogger => ({
    debug: (m, f) => d.log.debug(m, f),
    info: (m, f) => { d.log.info(m, f); d.emit({ event: 'step.log', ...ref, level: 'info', message: d.redactor.redact(m) }); },
    warn: (m, f) => { d.log.warn(m, f); d.emit({ event: 'step.log', ...ref, level: 'warn', message: d.redactor.redact(m) }); },
    error: (m, f) => { d.log.error(m, f); d.emit({ event: 'step.log', ...ref, level: 'error', message: d.redactor.redact(m) }); },
  });
  const log = makeLog();
  const effect = makeEffect({ store: d.effects, runId: d.runId, stepId: d.stepId, plugin: d.pluginId, workdir: d.workdir, dryRun: d.dryRun, signal: d.signal, log, redactor: d.redactor, repeatable: d.repeatable, approve: d.approve });
  const browser = d.browser ? stepBrowser(d.browser, d.signal) : { open: async () => unavailable('browser') };
  // the step's own view, and one per service it calls: the same run, step, limits, cache and
  // effects, but the config, secrets, store and accounts of the namespace whose code runs.
  // Objects a plugin could patch (the HTTP client's interceptors, the logger) are its own, so
  // a caller cannot watch the requests (and keys) of the services it calls.
  const view = (g: Grants, own: boolean): StepContext => {
    const ns = g.declarations.namespace;
    let accounts: AccountsApi | undefined;
    // made on first use: most steps never make a request
    let http: AxiosInstance | undefined;
    return {
    runId: d.runId,
    stepId: d.stepId,
    index: d.index,
    language: d.language,
    log: own ? log : makeLog(),
    signal: d.signal,
    get http() {
      if (!http) { http = createHttpClient({ signal: d.signal, policy: d.httpPolicy, redactor: d.redactor }); wireStepLimit(http, d.stepLimit, stepToken); }
      return http;
    },
    limit: (name, fn) => {
      const l = d.limits.get(name);
      if (!l) return fn();
      // the step already holds its own limit's slot: a call under it takes a token, not a second slot
      if (name === d.stepLimit) return insideLimit.run(name, async () => { await stepToken(); return fn(); });
      return insideLimit.run(name, () => l.run(fn, { signal: d.signal, onWait: onWait(name) }));
    },
    cache: {
      async wrap(key, ttl, fn) {
        const k = `call:${d.pluginId}:${hashValue(key)}`;
        const hit = d.readCache ? await d.keyv.get(k) : undefined;
        if (hit !== undefined) return (hit as { v: never }).v;
        const v = await fn();
        // the cache keeps values in plain text: a value that holds a secret is never kept
        if (d.redactor.holdsSecret(v)) d.log.debug(`call cache: the result for ${k} holds a secret; not cached`);
        else await d.keyv.set(k, { v }, ttl === undefined ? undefined : parseDuration(ttl, 'cache ttl'));
        return v;
      },
    },
    secrets: g.secrets,
    config: g.config,
    configOf: (namespace) => g.configOf(namespace),
    services: servicesFor(g, view),
    workdir: d.workdir,
    root: d.sandbox.root,
    resolvePath: (p, access) => resolveStepPath(d.sandbox, d.pipelineDir, p, { access, runId: d.runId }),
    store: namespaceKv(d.kv, ns),
    addSecret: (value) => { if (typeof value === 'string' && value) d.redactor.add(value); },
    progress: (u) => d.emit({ event: 'step.progress', ...ref, ...u }),
    skip: (reason) => { throw new SkipStep(reason); },
    dryRun: d.dryRun,
    get accounts() { return (accounts ??= d.accounts ? d.accounts((platform, act) => g.checkPlatform(platform, act)) : unavailable('accounts')); },
    browser,
    effect,
    };
  };
  return view(d.grants, true);
}

/**
 * `ctx.services`: `ctx.services.llm.complete(req)` loads the llm namespace if needed and calls
 * its `complete` with a view of its own namespace; an undeclared namespace fails at once.
 */
function servicesFor(g: Grants, view: (g: Grants, own: boolean) => StepContext): StepContext['services'] {
  return new Proxy({}, {
    get(_t, ns) {
      // not a namespace: a symbol, or `then` when someone awaits ctx.services
      if (typeof ns !== 'string' || ns === 'then') return undefined;
      if (ns !== g.declarations.namespace && !g.declarations.uses.has(ns)) throw missingUses(g.declarations, ns, `called ctx.services.${ns}`);
      return new Proxy({}, {
        get(_u, name) {
          if (typeof name !== 'string' || name === 'then') return undefined;
          return async (...args: unknown[]) => {
            const { fns, grants } = await g.service(ns);
            const fn = fns[name];
            if (!fn) throw unknownService(ns, name, Object.keys(fns));
            return fn(view(grants, false), ...args);
          };
        },
      });
    },
  });
}

/** Opens follow the step's signal (timeout, Ctrl-C) as well as the plugin's own. */
function stepBrowser(factory: BrowserFactory, stepSignal: AbortSignal): BrowserFactory {
  return {
    open: (o = {}) => factory.open({ ...o, signal: o.signal ? AbortSignal.any([stepSignal, o.signal]) : stepSignal }),
  };
}

function unavailable(what: 'accounts' | 'browser'): never {
  throw mpv2Error('E_INTERNAL', `ctx.${what} is not available in this context (the engine was started without it)`);
}

/** Which named limit the current async call runs under (so its HTTP requests are not counted twice). */
const insideLimit = new AsyncLocalStorage<string>();

/**
 * Tokens of the step's own `limit:` inside one attempt: the attempt took one token before it
 * started, which covers the first request; every further request or `ctx.limit` call takes one.
 */
function stepTokenTaker(d: ContextDeps, onWait: (l: string) => (ms: number) => void): () => Promise<void> {
  const limit = d.stepLimit ? d.limits.get(d.stepLimit) : undefined;
  let first = true;
  return async () => {
    if (!limit?.bucket) return;
    if (first) { first = false; return; }
    await limit.bucket.take(d.signal, onWait(limit.name));
  };
}

function wireStepLimit(http: AxiosInstance, stepLimit: string | undefined, stepToken: () => Promise<void>): void {
  if (!stepLimit) return;
  http.interceptors.request.use(async (config) => {
    if (insideLimit.getStore() !== stepLimit) await stepToken();
    return config;
  });
}
