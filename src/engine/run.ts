/**
 * A whole run: open the project, resolve the pipeline, check inputs, journal, execute,
 * hand back outputs (and copy output files with --out). Used by `run`, `resume` and the worker.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { Keyv } from 'keyv';
import { mpv2Error, toMpv2Error, type Mpv2Error } from '../errors.js';
import { fromSystemError } from '../infra/system-errors.js';
import { createAccountsApi, openAccounts, releaseSlots } from '../infra/accounts/index.js';
import { createBrowserFactory } from '../infra/browser/factory.js';
import { createLogger } from '../infra/logger.js';
import { parseSize } from '../config/size.js';
import { enforceCacheLimit } from './admin/cache-admin.js';
import { resolveInside, resolveStepPath, type Sandbox } from '../infra/paths.js';
import { holdsPlaceholder } from '../infra/redact.js';
import type { State } from '../infra/state.js';
import { rootRelativeEffects, rootRelativeJournal } from '../infra/store/root-relative.js';
import type { RunRecord, StepRecord } from '../infra/store/types.js';
import type { EventSink, RunEventBody } from './events.js';
import { projectSources, registryIndex } from './access.js';
import { accountsSnapshot } from './run-accounts.js';
import { checkApprovalDefaults } from './approval-gate.js';
import { executeRun, type RunResult } from './execute.js';
import { downstreamOf } from './graph.js';
import { checkInputs, parseInputArgs } from './inputs.js';
import { LimitRegistry, type Clock, type LimitSpec } from './limits.js';
import { claimRun, describeOwner, withLiveOwners, type LeaseOptions, type RunLease } from './owner.js';
import type { ResolvedPipeline } from './pipeline.js';
import type { Project } from './project.js';
import { resolvePipeline } from './resolve.js';
import { collectRefs, refsOf } from './expr/refs.js';
import { StepCache } from './step-cache.js';

export interface RunRequest {
  project: Project;
  cwd: string;
  /** Path of the pipeline file (relative to cwd or absolute). */
  file?: string;
  inputArgs?: string[];
  inputs?: Record<string, unknown>;
  concurrency?: number;
  dryRun?: boolean;
  noCache?: boolean;
  from?: string;
  /** Continue this run (resume). */
  resume?: string;
  force?: boolean;
  out?: string;
  signal: AbortSignal;
  sink: EventSink;
  /** Id of a new run (the queue derives it from the job, so a crashed job resumes the same run). */
  runId?: string;
  /** Shared stores in place of the project's SQLite ones (the Redis-backed queue). */
  stores?: RunStores;
  /** Clock and lease length of the run's ownership (tests inject the heartbeat's timer). */
  ownership?: LeaseOptions;
  /**
   * A worker's run: a step's wait for a posting time longer than this ends the run
   * `waiting-slot` (a queued job continues it then) instead of holding the worker. Unset (`mpv2
   * run`, `resume`, serve without workers): every wait is slept in this process.
   */
  pauseWaitsOverMs?: number;
  /** The clock of posting-slot waits (tests inject one so a wait takes no time). */
  clock?: Clock;
}

/** Stores a run may use instead of the project's own (`src/queue/redis`). */
export interface RunStores extends Partial<Pick<State, 'journal' | 'effects' | 'kv' | 'approvals'>> {
  /** A Map-like keyv store for the step and call cache. */
  keyvStore?: object;
  /** Builds the run's named limits (e.g. token buckets shared by every worker). */
  limits?: (pipeline: Record<string, LimitSpec>, config: Record<string, LimitSpec>) => LimitRegistry;
}

/**
 * The project's state with any shared stores put in (journaling paths relative to this
 * project's root, as the project's own stores do), and effects that can tell a live run's
 * pending record from a dead one's.
 */
function stateFor(req: RunRequest): State {
  const own = req.project.state();
  const { limits: _limits, keyvStore, journal, effects, ...stores } = req.stores ?? {};
  const state: State = {
    ...own, ...stores,
    ...(journal && { journal: rootRelativeJournal(journal, req.project.root) }),
    ...(effects && { effects: rootRelativeEffects(effects, req.project.root) }),
    ...(keyvStore && { keyvStore: keyvStore as State['keyvStore'] }),
  };
  return { ...state, effects: withLiveOwners(state.effects, state.journal) };
}

export interface RunOutcome {
  runId: string;
  result: RunResult;
  outFiles: string[];
  /** Files the outputs name that `--out` did not copy (outside the project, or mpv2's own), with why. */
  outRefused: RefusedOutput[];
}

export interface RefusedOutput {
  file: string;
  code: string;
  reason: string;
}

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-')}-${randomBytes(3).toString('hex')}`;
}

/** Finds and checks the pipeline file (inside the project), then resolves it. */
export async function loadPipeline(project: Project, cwd: string, file: string): Promise<ResolvedPipeline> {
  const abs = resolveInside({ root: project.root, allow: project.config.values.paths.allow }, cwd, file, 'pipeline');
  const pipeline = await resolvePipeline({ file: abs, root: project.root, registry: project.registry, configLimits: project.config.values.limits });
  // a lazy project now knows which plugins run: their config sections get defaults and checks
  await project.refreshConfig({ secrets: secretsRead(pipeline) });
  checkApprovalDefaults(project.config.values.approvals, project.registry, project.config.origins);
  return pipeline;
}

/** The names a pipeline reads as `secrets.NAME` in its steps, env and outputs. */
function secretsRead(p: ResolvedPipeline): string[] {
  const refs = [
    ...p.steps.flatMap((s) => [s.compiledWith, s.if, s.foreach].flatMap((c) => (c ? refsOf(c) : []))),
    ...(p.outputs ? refsOf(p.outputs) : []),
    ...collectRefs(p.env),
  ];
  return refs.filter((r) => r.context === 'secrets' && typeof r.path[0] === 'string').map((r) => r.path[0] as string);
}

/** Errors found here are before-running errors (exit 2); the run itself reports through events. */
export async function prepareRun(req: RunRequest) {
  const { project } = req;
  const state = stateFor(req);
  let prior: RunRecord | undefined;
  let file = req.file;
  let lease: RunLease | undefined;
  if (req.resume) {
    prior = await state.journal.getRun(req.resume);
    if (!prior) throw mpv2Error('E_NOT_FOUND', `no run with id ${req.resume}`, { hint: '`mpv2 runs list` shows recent runs' });
    // one live owner per run: refused while the process running it lives, taken over once it died
    lease = await claimRun(state.journal, prior.id, req.ownership);
    file = join(project.root, prior.pipeline);
  }
  try {
    return { ...(await prepareOwned(req, state, file, prior)), lease };
  } catch (e) {
    await lease?.release();
    throw e;
  }
}

async function prepareOwned(req: RunRequest, state: State, file: string | undefined, prior: RunRecord | undefined) {
  const { project } = req;
  if (!file) throw mpv2Error('E_USAGE', 'no pipeline file given');
  if (req.out && statSync(resolve(req.cwd, req.out), { throwIfNoEntry: false })?.isDirectory() === false) {
    throw mpv2Error('E_USAGE', `--out ${req.out} is a file, not a folder`, { hint: 'name a folder to copy the output files into (it is created if missing)' });
  }
  const pipeline = await loadPipeline(project, req.cwd, file);
  if (prior && prior.pipelineHash !== pipeline.hash && !req.force) {
    throw mpv2Error('E_PIPELINE_CHANGED', `${pipeline.displayFile} changed since run ${prior.id} started`, { hint: 'resume with --force to continue with the changed file, or start a new run' });
  }
  if (prior?.status === 'succeeded') throw mpv2Error('E_USAGE', `run ${prior.id} already succeeded; nothing to resume`, { hint: 'start a new run with `mpv2 run`' });
  // inputs that held a secret are journaled redacted: resuming would hand the placeholder on
  if (prior && holdsPlaceholder(prior.inputs)) {
    throw mpv2Error('E_USAGE', `run ${prior.id} cannot be resumed: an input held a secret, which the journal keeps only as [REDACTED]`, {
      hint: 'start a new run with the inputs given again; a secret passed as `secrets.NAME` (environment or .env) instead of an input is read again on resume',
    });
  }
  const inputs = prior ? prior.inputs : checkInputs({ ...parseInputArgs(req.inputArgs ?? [], pipeline.inputs, req.cwd), ...req.inputs }, pipeline.inputs);
  let reuse: Map<string, StepRecord[]> | undefined;
  let parentRunId: string | undefined;
  if (prior) reuse = group(await state.journal.getSteps(prior.id));
  if (req.from) {
    if (!pipeline.stepById.has(req.from)) throw mpv2Error('E_USAGE', `--from names "${req.from}", which is not a step of ${pipeline.displayFile}`);
    const base = await state.journal.latestSucceededRun(relative(project.root, pipeline.file));
    if (!base) throw mpv2Error('E_NOT_FOUND', `--from needs a successful earlier run of ${pipeline.displayFile}, and there is none`, { hint: 'run the whole pipeline once first' });
    const rerun = downstreamOf(pipeline.steps.map((s) => ({ id: s.id, deps: s.deps })), req.from);
    reuse = new Map([...group(await state.journal.getSteps(base.id))].filter(([id]) => !rerun.has(id)));
    parentRunId = base.id;
  }
  return { pipeline, inputs, reuse, prior, parentRunId };
}

function group(steps: StepRecord[]): Map<string, StepRecord[]> {
  const m = new Map<string, StepRecord[]>();
  for (const s of steps) {
    const list = m.get(s.stepId);
    if (list) list.push(s); else m.set(s.stepId, [s]);
  }
  return m;
}

type Prepared = Awaited<ReturnType<typeof prepareRun>>;

/**
 * Journals the run as running and owns it while it runs: the lease is renewed as it goes and
 * given up at the end, whatever happens. A run another process took over (this one stalled
 * past its lease) is stopped and leaves the journal to the new owner.
 */
export async function executePrepared(req: RunRequest, prep: Prepared): Promise<RunOutcome> {
  const { pipeline, inputs, prior } = prep;
  const state = stateFor(req);
  const runId = prior?.id ?? req.runId ?? newRunId();
  let lease = prep.lease;
  try {
    if (prior) await state.journal.updateRun(runId, { status: 'running', finishedAt: undefined, resumeAt: undefined, pipelineHash: pipeline.hash });
    else {
      await state.journal.createRun({ id: runId, pipeline: relative(req.project.root, pipeline.file), pipelineHash: pipeline.hash, name: pipeline.name, status: 'running', inputs: req.project.redactor.redactDeep(inputs), startedAt: new Date().toISOString(), parentRunId: prep.parentRunId });
    }
    lease ??= await claimRun(state.journal, runId, req.ownership);
    const taken = new AbortController();
    lease.startHeartbeat(() => taken.abort());
    const signal = AbortSignal.any([req.signal, taken.signal]);
    // every running step, item and request listens to the run's signal and stops listening
    // when it ends: many listeners at once is the design, not a leak
    setMaxListeners(0, signal);
    return await executeOwned({ ...req, signal }, prep, state, runId, lease);
  } finally {
    await lease?.release();
  }
}

async function executeOwned(req: RunRequest, prep: Prepared, state: State, runId: string, lease: RunLease): Promise<RunOutcome> {
  const { project } = req;
  const { pipeline, inputs, reuse, prior } = prep;
  const redactor = project.redactor;
  const cfg = project.config.values;
  const logs = createLogger({ dir: state.logsDir, runId, level: cfg.log.level, redactor });
  const t0 = performance.now();
  const emit = (e: RunEventBody) => req.sink(redactor.redactDeep({ ...e, runId, time: new Date().toISOString() }) as never);
  const limits = req.stores?.limits?.(pipeline.limits, cfg.limits) ?? new LimitRegistry(pipeline.limits, cfg.limits);
  for (const w of limits.warnings) logs.logger.warn(w);
  const keyv = new Keyv({ store: state.keyvStore as never, namespace: 'mpv2' });
  const stepCache = new StepCache(keyv, join(state.cacheDir, 'blobs'));
  emit({ event: 'run.started', pipeline: pipeline.displayFile, name: pipeline.name, inputs, ...(prior && { resumed: true }) });
  const secretFree = redactor.redactDeep(cfg);
  const browser = createBrowserFactory({ ...cfg.browser, locksDir: join(state.dir, 'locks'), log: logs.logger });
  const accounts = openAccounts({ root: project.root, kv: state.kv, masterKey: project.config.secrets.MPV2_MASTER_KEY });
  let result: RunResult;
  try {
    const platforms = project.registry.all().flatMap((p) => (p.def.accountTypes ?? []).map((t) => t.platform));
    const accountNames = await accountsSnapshot(state.kv, runId, accounts.store, platforms);
    result = await executeRun({
      pipeline, runId, runsDir: state.runsDir, journal: state.journal, effects: state.effects, kv: state.kv, keyv, stepCache, limits,
      sandbox: { root: project.root, allow: cfg.paths.allow },
      access: projectSources(project),
      plugins: registryIndex(project.registry), redactor, signal: req.signal, dryRun: req.dryRun ?? false, noCache: req.noCache ?? !cfg.cache.enabled,
      emit, stepLog: (stepId, index) => logs.logger.child({ stepId, ...(index !== undefined && { index }) }),
      browser,
      accountsFor: (ref) => createAccountsApi({
        ...accounts, redactor, ...ref, log: logs.logger.child({ stepId: ref.stepId, ...(ref.index !== undefined && { index: ref.index }) }),
        ...(req.clock && { now: () => new Date(req.clock!.now()), sleep: (ms: number, signal: AbortSignal) => req.clock!.sleep(ms, signal) }),
      }),
      releaseSlots: async (ref) => {
        for (const r of await releaseSlots(accounts.store, ref)) logs.logger.child({ stepId: ref.stepId }).info(`posting slot ${r.at} on ${r.account} given back: the post was rejected`);
      },
      ...(req.pauseWaitsOverMs !== undefined && { pauseWaitsOverMs: req.pauseWaitsOverMs }),
      approvals: state.approvals, approvalDefaults: cfg.approvals,
      concurrency: Math.max(1, req.concurrency ?? cfg.concurrency), inputs, reuse, log: logs.logger,
      scopeBase: { config: secretFree, secrets: project.config.secrets, env: pipeline.env, accounts: accountNames, run: { id: runId, dir: join(state.runsDir, runId), startedAt: new Date().toISOString(), date: new Date().toISOString().slice(0, 10) } },
    });
  } catch (e) {
    result = { status: 'failed', error: fromSystemError(e, project.root) ?? toMpv2Error(e, 'E_INTERNAL'), steps: new Map() };
  }
  // a plugin should close its browser; this catches the ones that did not (a crash mid-step)
  await browser.closeAll();
  if (lease.isLost) {
    result = { status: 'failed', steps: result.steps, error: mpv2Error('E_RUN_OWNED', `run ${runId} was taken over by ${lease.lostTo ? describeOwner(lease.lostTo) : 'another process'} while this process stalled past its lease; stopped here`, { hint: `\`mpv2 runs show ${runId}\` shows how the run goes on` }) };
  }
  let out: ReturnType<typeof copyOutputs> | undefined;
  try {
    if (result.status === 'succeeded' && req.out) out = copyOutputs(result.outputs ?? {}, resolve(req.cwd, req.out), { root: project.root, allow: cfg.paths.allow });
  } catch (e) {
    // the run is journaled either way; a copy that fails (a full disk) fails the run
    const err = fromSystemError(e, project.root) ?? toMpv2Error(e, 'E_FILE');
    result = { ...result, status: 'failed', error: mpv2Error(err.code, `copying the outputs to ${req.out}: ${err.message}`, { hint: err.hint, cause: e }) };
  }
  for (const r of out?.refused ?? []) logs.logger.warn(`--out: not copied: ${r.reason}`, { file: r.file, code: r.code });
  let error = result.error ? { code: result.error.code, ...(result.error.pluginCode && { pluginCode: result.error.pluginCode }), message: redactor.redact(result.error.message) } : undefined;
  // a run taken over is journaled by its new owner
  const unrecorded = lease.isLost ? undefined : await recordEnd(state, runId, { status: result.status, outputs: redactor.redactDeep(result.outputs), error, finishedAt: new Date().toISOString(), ...(result.resumeAt && { resumeAt: result.resumeAt }) });
  if (unrecorded) {
    result = { ...result, status: 'failed', error: unrecorded };
    error = { code: unrecorded.code, message: redactor.redact(unrecorded.message) };
  }
  keepCacheWithinLimit(state, cfg.cache.maxSize, logs.logger);
  emit({ event: 'run.finished', status: result.status, outputs: result.outputs, durationMs: Math.round(performance.now() - t0), ...(error && { error }), ...(result.status === 'waiting-slot' && { resumeAt: result.resumeAt }) });
  await logs.close();
  return { runId, result, outFiles: out?.copied ?? [], outRefused: out?.refused ?? [] };
}

/**
 * Journals how the run ended. On a full disk the reserve kept in `.mpv2/` is given up for it;
 * if even that fails, the error says the journal still shows the run as running.
 */
async function recordEnd(state: State, runId: string, end: Partial<RunRecord>): Promise<Mpv2Error | undefined> {
  try {
    await state.journal.updateRun(runId, end);
    return undefined;
  } catch (e) {
    const err = fromSystemError(e, state.dir) ?? toMpv2Error(e, 'E_INTERNAL');
    const full = err.code === 'E_DISK_FULL';
    if (full && state.freeDiskReserve?.()) {
      try {
        await state.journal.updateRun(runId, end);
        return undefined;
      } catch { /* not even the reserve was enough */ }
    }
    return mpv2Error(err.code, `${err.message}; the journal could not record how run ${runId} ended and still shows it as running`, {
      cause: e, hint: full ? DISK_FULL_HINT_FOR(runId) : err.hint,
    });
  }
}

const DISK_FULL_HINT_FOR = (runId: string) => `free space on the disk that holds the project and its .mpv2/ folder (\`df -h .\`), then continue with \`mpv2 resume ${runId}\``;

/**
 * `cache.maxSize` after every run (least recently used entries go first). Only the project's
 * SQLite cache is measured; a shared Redis cache is bounded by Redis' own memory policy.
 * A failure here never fails the run: the cache is only an optimisation.
 */
function keepCacheWithinLimit(state: State, maxSize: string, log: { info(msg: string, meta?: object): void; warn(msg: string, meta?: object): void }): void {
  if (typeof (state.keyvStore as Partial<State['keyvStore']>).byRecentUse !== 'function') return;
  try {
    const r = enforceCacheLimit(state, parseSize(maxSize, 'cache.maxSize'));
    if (r.entries > 0 || r.blobs > 0) log.info(`cache over cache.maxSize ${maxSize}: removed ${r.entries} least recently used entries and ${r.blobs} file(s), ${r.freedBytes} bytes`);
  } catch (e) {
    log.warn('could not keep the cache within cache.maxSize', { error: (e as Error).message });
  }
}

/**
 * `--out`: copies every file named (by absolute path) in the outputs into `dir`, the way a step
 * would read it: inside the project (or `paths.allow`) and none of mpv2's own files, so a
 * pipeline cannot use `--out` to lift /etc/passwd, /proc/self/environ or .env out of reach.
 * The refused ones are returned with the reason, for the caller to report.
 */
function copyOutputs(outputs: Record<string, unknown>, dir: string, sandbox: Sandbox): { copied: string[]; refused: RefusedOutput[] } {
  const files = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string' && isAbsolute(v) && existsSync(v) && statSync(v).isFile()) files.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(outputs);
  const copied: string[] = [];
  const refused: RefusedOutput[] = [];
  for (const f of files) {
    try {
      resolveStepPath(sandbox, sandbox.root, f, { field: 'output' });
    } catch (e) {
      refused.push({ file: f, code: (e as Mpv2Error).code ?? 'E_PATH_OUTSIDE_ROOT', reason: (e as Error).message });
      continue;
    }
    mkdirSync(dir, { recursive: true });
    const to = join(dir, basename(f));
    copyFileSync(f, to);
    copied.push(to);
  }
  return { copied, refused };
}
