/** One execution of a step's plugin (the whole step, or one `foreach` item). */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Keyv } from 'keyv';
import { Mpv2Error, toMpv2Error } from '../errors.js';
import { hashValue } from '../infra/hash.js';
import { LANGUAGE_HINT, canonicalLanguage } from '../infra/language.js';
import type { Sandbox } from '../infra/paths.js';
import { resolveInside } from '../infra/paths.js';
import type { Redactor } from '../infra/redact.js';
import type { ApprovalStore, EffectStore, JournalStore, KvStore } from '../infra/store/types.js';
import { ApprovalGate, approvalRequired, type ApprovalSetting } from './approval-gate.js';
import type { AccountsApi, BrowserFactory, StepLogger } from '../plugin/types.js';
import type { ApprovalHold } from '../infra/accounts/api.js';
import { grantsFor, namespaceOf, type AccessSources, type Grants, type PluginIndex } from './access.js';
import { createStepContext } from './context.js';
import { TimeWait } from './time-wait.js';
import { httpPolicyOf } from '../infra/http.js';
import type { RunEventBody } from './events.js';
import { evaluate, type Scope } from './expr/index.js';
import type { LimitRegistry } from './limits.js';
import type { ResolvedPipeline, ResolvedStep } from './pipeline.js';
import { normalizeRetry, withRetry } from './retry.js';
import { callPlugin, checkStepInput, checkStepOutputs } from './step-io.js';
import { outputSchemaOf } from './schema-checks.js';
import type { StepCache } from './step-cache.js';

export interface InstanceEnv {
  pipeline: ResolvedPipeline;
  runId: string;
  runsDir: string;
  journal: JournalStore;
  effects: EffectStore;
  kv: KvStore;
  keyv: Keyv;
  stepCache: StepCache;
  limits: LimitRegistry;
  sandbox: Sandbox;
  /** Config sections (secrets included) and secrets, from which each plugin gets its own (./access.ts). */
  access: AccessSources;
  /** The loaded plugins, for the namespaces a plugin declares and the services it calls. */
  plugins: PluginIndex;
  redactor: Redactor;
  signal: AbortSignal;
  dryRun: boolean;
  noCache: boolean;
  emit: (e: RunEventBody) => void;
  stepLog: (stepId: string, index?: number) => StepLogger;
  /** The run's browser factory behind `ctx.browser`. */
  browser?: BrowserFactory;
  /** `ctx.accounts` for one run, step and item (the pick journal is keyed by them); every call passes `checkPlatform`. */
  accountsFor?: (ref: { runId: string; stepId: string; index?: number; checkPlatform: Grants['checkPlatform']; signal: AbortSignal; park?: TimeWait; approval?: ApprovalHold }) => AccountsApi;
  /** Gives back the posting slots a step (or item) of the run holds: its approval was rejected. */
  releaseSlots?: (ref: { runId: string; stepId: string; index?: number }) => Promise<void>;
  /** On a worker: a wait for a posting time longer than this pauses the run instead (./time-wait.ts); unset, waits are slept in process. */
  pauseWaitsOverMs?: number;
  /** Where effect steps that need approval record it; without it no step waits. */
  approvals?: ApprovalStore;
  /** The config's `approvals` defaults, by plugin id or namespace. */
  approvalDefaults?: Record<string, ApprovalSetting>;
}

export interface InstanceResult {
  outputs: unknown;
  cached: boolean;
  attempts: number;
}

export async function runInstance(o: InstanceEnv, step: ResolvedStep, scope: Scope, index: number | undefined): Promise<InstanceResult> {
  const def = step.plugin.def;
  const ref = { stepId: step.id, ...(index !== undefined && { index }) };
  let input: Record<string, unknown>;
  try {
    input = structuredClone(evaluate(step.compiledWith, scope) as Record<string, unknown>);
  } catch (e) {
    const err = toMpv2Error(e, 'E_EXPR_EVAL');
    err.message = `step "${step.id}" with: ${err.message}`;
    err.loc ??= step.loc;
    throw err;
  }
  checkStepInput(def, input, step.id, o.pipeline.locate(['steps', step.position, 'with']));
  const language = stepLanguage(step, scope);
  const effect = typeof def.effect === 'function' ? def.effect(input) : def.effect === true;
  const grants = await grantsFor(o.plugins, o.access, namespaceOf(def.id), def);
  const config = grants.config;
  const workdir = join(o.runsDir, o.runId, step.id, ...(index === undefined ? [] : [String(index)]));
  const cacheable = !effect && def.pure !== false && step.cache !== false && !o.noCache;
  const resolve = (p: string) => { try { return resolveInside(o.sandbox, o.pipeline.dir, p); } catch { return undefined; } };
  const cacheKey = cacheable ? await o.stepCache.key(step.plugin, o.redactor.redactDeep(config), language === undefined ? input : { input, language }, resolve) : undefined;
  if (cacheKey) {
    const hit = await o.stepCache.get(cacheKey, workdir);
    if (hit !== undefined) return { outputs: hit, cached: true, attempts: 0 };
  }
  // a dry run only describes its acts: nothing waits for approval
  const gate = effect && !o.dryRun && o.approvals && approvalRequired(step, o.approvalDefaults ?? {})
    ? new ApprovalGate({ store: o.approvals, runId: o.runId, stepId: step.id, index, plugin: def.id, runDir: join(o.runsDir, o.runId), redactor: o.redactor, inputHash: hashValue(o.redactor.redactDeep(input)),
      ...(o.releaseSlots && { onReject: () => o.releaseSlots!({ runId: o.runId, stepId: step.id, ...(index !== undefined && { index }) }) }) })
    : undefined;
  // decided or still pending from an earlier stop: answered without running the plugin again
  await gate?.before();
  // effects rely on reconcile, not retries: one try unless the step itself asks for more
  const policy = effect ? normalizeRetry(step.retry, 1) : normalizeRetry(step.retry ?? def.defaults?.retry, 3);
  // an explicit retry: on an effect step says its acts are safe to repeat (docs/pipelines.md)
  const repeatable = effect && step.retry !== undefined && policy.attempts > 1 ? new Set<string>() : undefined;
  const timeoutMs = step.timeoutMs;
  const limit = step.limit ? o.limits.get(step.limit) : undefined;
  const { value: outputs, attempts } = await withRetry(policy, async () => {
    const timeout = timeoutMs !== undefined ? AbortSignal.timeout(timeoutMs) : undefined;
    const wait = !o.dryRun && o.pauseWaitsOverMs !== undefined ? new TimeWait(o.pauseWaitsOverMs) : undefined;
    const signal = timeout ? AbortSignal.any([o.signal, timeout]) : o.signal;
    // a plugin's parallel requests and child processes each listen while they run (not a leak)
    if (timeout) setMaxListeners(0, signal);
    const ctx = createStepContext({
      runId: o.runId, stepId: step.id, index, language, pluginId: def.id, workdir, pipelineDir: o.pipeline.dir, sandbox: o.sandbox,
      signal, grants, httpPolicy: httpPolicyOf(o.access.section('http')), limits: o.limits, stepLimit: step.limit, keyv: o.keyv, effects: o.effects, kv: o.kv,
      dryRun: o.dryRun, readCache: !o.noCache && step.callCache, redactor: o.redactor, emit: o.emit, log: o.stepLog(step.id, index),
      browser: o.browser, accounts: o.accountsFor && ((checkPlatform) => o.accountsFor!({ runId: o.runId, stepId: step.id, index, checkPlatform, signal, ...(wait && { park: wait }), ...(gate && { approval: gate }) })), repeatable,
      ...(gate && { approve: (key: string, describe: unknown) => gate.check(key, describe) }),
    });
    const plugin = () => callPlugin(() => def.run(ctx, input), signal, () => (timeout?.aborted && !o.signal.aborted ? timeoutMs : undefined), step.id);
    // once the gate or a pause stopped the step, that is how the try ended, whatever the plugin made of it
    const stopped = () => wait?.stopped ?? gate?.stopped;
    const call = gate || wait
      ? () => plugin().then((v) => { const s = stopped(); if (s) throw s; return v; }, (e: unknown) => { throw stopped() ?? e; })
      : plugin;
    return limit ? limit.run(call, { signal, onWait: (waitMs) => o.emit({ event: 'step.waiting', ...ref, limit: limit.name, waitMs }) }) : call();
  }, {
    signal: o.signal,
    onRetry: ({ attempt, delayMs, error }) => {
      const reason = o.redactor.redact(error instanceof Error ? error.message : String(error));
      o.emit({ event: 'step.retrying', ...ref, attempt, delayMs, reason });
    },
  });
  // a dry run's effects return nothing: there is nothing to check
  if (!(o.dryRun && effect)) checkStepOutputs(def, stepOutputSchema(step), outputs, step.id);
  const result = outputs ?? {};
  // the cache keeps outputs in plain text: outputs that hold a secret are never kept
  if (cacheKey && o.redactor.holdsSecret(result)) o.stepLog(step.id, index).debug('outputs hold a secret: not cached');
  else if (cacheKey) await o.stepCache.set(cacheKey, result, workdir, step.cache === 'forever' ? undefined : (step.cache as number));
  return { outputs: result, cached: false, attempts };
}

const outputSchemas = new WeakMap<ResolvedStep, { schema: ReturnType<typeof outputSchemaOf> }>();

/** The step's output schema, computed once per step (not per foreach item or run of a chain). */
function stepOutputSchema(step: ResolvedStep) {
  let entry = outputSchemas.get(step);
  if (!entry) { entry = { schema: outputSchemaOf(step.plugin, step.with) }; outputSchemas.set(step, entry); }
  return entry.schema;
}

/** The instance's language: the step's or pipeline's tag, or its `language: ${{ … }}` evaluated for this item. */
function stepLanguage(step: ResolvedStep, scope: Scope): string | undefined {
  if (!step.languageExpr) return step.language;
  let value: unknown;
  try {
    value = evaluate(step.languageExpr, scope);
  } catch (e) {
    const err = toMpv2Error(e, 'E_EXPR_EVAL');
    err.message = `step "${step.id}" language: ${err.message}`;
    err.loc ??= step.loc;
    throw err;
  }
  const canonical = typeof value === 'string' ? canonicalLanguage(value) : undefined;
  if (canonical === undefined) {
    throw new Mpv2Error('E_PLUGIN_INPUT_INVALID', `step "${step.id}" language evaluated to ${JSON.stringify(value)}, which is not a known BCP 47 language tag`, { loc: step.loc, step: step.id, hint: LANGUAGE_HINT });
  }
  return canonical;
}
