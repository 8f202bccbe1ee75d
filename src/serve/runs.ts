/**
 * Runs for the API: started in this process with the same engine calls as `mpv2 run` (or
 * queued for `mpv2 worker`s when `queue.url` is set, as `mpv2 enqueue` does), their `--json`
 * events kept for subscribers, cancelled the way Ctrl-C stops a CLI run (running effects stay
 * in doubt, as designed), resumed as `mpv2 resume` does. Runs started elsewhere are followed
 * by a RunFollower: a worker's through its event stream on Redis, others through the journal.
 */
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import { isMpv2Error, mpv2Error, toMpv2Error } from '../errors.js';
import type { Project } from '../engine/project.js';
import { executePrepared, newRunId, prepareRun, type RunRequest } from '../engine/run.js';
import type { JournalStore, RunRecord, RunStatus, StepRecord } from '../infra/store/types.js';
import type { EventStreamReader } from '../queue/redis/event-stream.js';
import { EventLog, type NumberedEvent } from './event-log.js';
import { RunFollower } from './run-follower.js';
import { pipelineFileFor } from './pipelines.js';
import { withHttpStatus } from './problem.js';

export interface StartRequest {
  /** A pipeline id (`GET /api/pipelines`) or a file path inside the project. */
  pipeline: string;
  inputs?: Record<string, unknown>;
  dryRun?: boolean;
}

export interface StartResult {
  runId: string;
  /** `queue`: handed to the workers (queue.url); `process`: running in this server. */
  where: 'process' | 'queue';
}

export interface StepView {
  stepId: string;
  plugin: string;
  status: StepRecord['status'];
  cached: boolean;
  attempts: number;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  outputs?: unknown;
  error?: StepRecord['error'];
  skipReason?: string;
  /** The items of a `foreach` step, by index. */
  items?: Array<Omit<StepView, 'items' | 'stepId' | 'plugin'> & { index: number }>;
}

/** `queued`: handed to the workers by this server, not started by one yet. */
export type RunViewStatus = RunStatus | 'queued';

export interface RunSummaryView {
  runId: string;
  pipeline: string;
  name: string;
  status: RunViewStatus;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** `waiting-slot`: when a worker continues the run. */
  resumeAt?: string;
}

export interface RunView extends RunSummaryView {
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: RunRecord['error'];
  parentRunId?: string;
  steps: StepView[];
}

interface LiveRun {
  log: EventLog;
  controller: AbortController;
  done: Promise<void>;
}

export interface RunManagerOptions {
  /**
   * How often a run started elsewhere is read again from the journal while it runs; for a
   * worker's run followed through its event stream, how long a read waits for events before
   * the journal is looked at. @default 500
   */
  pollMs?: number;
  /** Finished runs whose events stay in memory (older ones are rebuilt from the journal). @default 100 */
  keepFinished?: number;
  /** The workers' shared journal (Redis, `queue.url`): runs they ran are read there too. */
  shared?: JournalStore;
  /** Opens a reader of the workers' run event streams (a Redis connection of its own). */
  streams?: () => EventStreamReader;
}

/** Run ids as `newRunId` makes them: nothing else reaches the journal or a file path. */
export const RUN_ID = /^[0-9]{8}-[0-9]{6}Z-[0-9a-f]{6}$/;

export class RunManager {
  private readonly live = new Map<string, LiveRun>();
  /** Runs this server queued that no worker has journaled yet. */
  private readonly queued = new Map<string, RunRecord>();
  /** Runs started elsewhere that someone is subscribed to. */
  private readonly followed = new Map<string, RunFollower>();
  private closing = false;

  constructor(private readonly project: Project, private readonly opts: RunManagerOptions = {}) {}

  private get state() {
    return this.project.state();
  }

  /**
   * Checks the pipeline and inputs now (a mistake is an error here, as with exit code 2), then
   * starts the run in this process, or queues it when `queue.url` is set. Dry runs always run
   * here: they act on nothing, and a worker job has no dry-run switch.
   */
  async start(r: StartRequest): Promise<StartResult> {
    this.refuseWhileClosing();
    const file = pipelineFileFor(this.project, r.pipeline);
    if (this.project.config.values.queue.url && !r.dryRun) {
      const { enqueueRun } = await import('../queue/ops.js');
      // every POST is its own run (the CLI's enqueue folds identical ones; an API caller asks for a run)
      const q = await enqueueRun({ project: this.project, cwd: this.project.root, file, inputArgs: [], inputs: r.inputs ?? {}, key: randomBytes(8).toString('hex') });
      this.queued.set(q.runId, { id: q.runId, pipeline: q.job.pipeline, pipelineHash: '', name: q.job.pipeline, status: 'running', inputs: q.job.inputs, startedAt: new Date().toISOString() });
      return { runId: q.runId, where: 'queue' };
    }
    return { runId: await this.execute({ file, inputs: r.inputs ?? {}, dryRun: r.dryRun ?? false }), where: 'process' };
  }

  /** `mpv2 resume <runId>` in this process: refused while another process owns the run (E_RUN_OWNED). */
  async resume(runId: string, o: { force?: boolean } = {}): Promise<StartResult> {
    this.refuseWhileClosing();
    const found = await this.findRun(runId);
    if (!found) await this.requireRun(runId);
    if (!found!.journal) throw withHttpStatus(mpv2Error('E_USAGE', `run ${runId} is queued and has not started; nothing to resume`), 409);
    // a run of the workers' journal continues on the workers, as a resume job
    if (found!.journal === this.opts.shared) return this.enqueueResume(found!.run, o.force ?? false);
    const mine = this.live.get(runId);
    if (mine && !mine.log.finished) throw mpv2Error('E_RUN_OWNED', `run ${runId} is still running in this server`, { hint: `POST /api/runs/${runId}/cancel stops it` });
    // run.finished is sent before the run gives up its lease: a resume right after it waits for that
    await mine?.done;
    return { runId: await this.execute({ resume: runId, force: o.force ?? false }, mine?.log.nextId), where: 'process' };
  }

  private async enqueueResume(run: RunRecord, force: boolean): Promise<StartResult> {
    const { enqueueRunResume } = await import('../queue/resume-run.js');
    try {
      await enqueueRunResume(this.project, run, { force });
    } catch (e) {
      throw isMpv2Error(e) && e.code === 'E_USAGE' ? withHttpStatus(e, 409) : e;
    }
    return { runId: run.id, where: 'queue' };
  }

  private async execute(what: Pick<RunRequest, 'file' | 'inputs' | 'dryRun' | 'resume' | 'force'>, firstEventId = 0): Promise<string> {
    const controller = new AbortController();
    const log = new EventLog(firstEventId);
    const runId = what.resume ?? newRunId();
    const req: RunRequest = { ...what, project: this.project, cwd: this.project.root, signal: controller.signal, sink: (e) => log.push(e), runId };
    // errors here are bad input (or a run owned elsewhere): the caller hears them, nothing ran
    const prep = await prepareRun(req);
    const run: LiveRun = { log, controller, done: Promise.resolve() };
    this.live.set(runId, run);
    run.done = executePrepared(req, prep).then(
      () => undefined,
      (e: unknown) => {
        // the run could not journal its end (or never started): subscribers still hear it end
        if (log.finished) return;
        const err = toMpv2Error(e, 'E_INTERNAL');
        log.push({ event: 'run.finished', status: 'failed', durationMs: 0, error: { code: err.code, message: this.project.redactor.redact(err.message) }, runId, time: new Date().toISOString() });
      },
    ).finally(() => this.forgetOldRuns());
    return runId;
  }

  private refuseWhileClosing(): void {
    if (this.closing) throw withHttpStatus(mpv2Error('E_ABORTED', 'the server is shutting down'), 503);
  }

  private forgetOldRuns(): void {
    const keep = this.opts.keepFinished ?? 100;
    const finished = [...this.live].filter(([, r]) => r.log.finished);
    for (const [id] of finished.slice(0, Math.max(0, finished.length - keep))) this.live.delete(id);
  }

  /** This project's journal, then the workers' shared one. */
  private get journals(): JournalStore[] {
    return [this.state.journal, ...(this.opts.shared ? [this.opts.shared] : [])];
  }

  /** The run and the journal that holds it; a run this server queued and no worker started yet has none. */
  private async findRun(runId: string): Promise<{ run: RunRecord; journal?: JournalStore } | undefined> {
    if (!RUN_ID.test(runId)) return undefined;
    for (const journal of this.journals) {
      const run = await journal.getRun(runId);
      if (run) {
        this.queued.delete(runId);
        return { run, journal };
      }
    }
    const queued = this.queued.get(runId);
    return queued && { run: queued };
  }

  /** The run's journal record (E_NOT_FOUND when there is none). */
  async requireRun(runId: string): Promise<RunRecord> {
    const found = await this.findRun(runId);
    if (!found) throw mpv2Error('E_NOT_FOUND', `no run with id ${runId}`, { hint: 'GET /api/runs lists recent runs' });
    return found.run;
  }

  async list(o: { status?: string; pipeline?: string; limit?: number } = {}): Promise<RunSummaryView[]> {
    const limit = o.limit ?? 50;
    const pipeline = o.pipeline ? relative(this.project.root, pipelineFileFor(this.project, o.pipeline)) : undefined;
    // a status filter reads further back, so `limit` runs of that status come back when there are
    const runs: RunRecord[] = [];
    for (const journal of this.journals) runs.push(...await journal.listRuns({ limit: o.status ? Math.max(limit * 20, 1000) : limit, ...(pipeline && { pipeline }) }));
    const views: RunSummaryView[] = [...this.queued.values()].filter((q) => !pipeline || q.pipeline === pipeline).map((q) => ({ ...summary(q), status: 'queued' as const }));
    views.push(...runs.map(summary));
    return views.filter((r) => !o.status || r.status === o.status).sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
  }

  async get(runId: string): Promise<RunView> {
    const found = await this.findRun(runId);
    if (!found) await this.requireRun(runId);
    const { run, journal } = found!;
    if (!journal) return { ...summary(run), status: 'queued', inputs: run.inputs, steps: [] };
    return { ...summary(run), inputs: run.inputs, ...(run.outputs && { outputs: run.outputs }), ...(run.error && { error: run.error }), ...(run.parentRunId && { parentRunId: run.parentRunId }), steps: stepViews(await journal.getSteps(runId)) };
  }

  /**
   * Stops a run this server runs, as Ctrl-C stops `mpv2 run`: its steps are aborted, an effect
   * acting right now stays pending (in doubt), and the run ends `interrupted`. A run another
   * process runs (the CLI, a worker) is refused: the queue has no way to stop a taken job.
   */
  async cancel(runId: string): Promise<{ runId: string; status: 'cancelling' }> {
    const run = await this.requireRun(runId);
    if (this.queued.has(runId)) throw mpv2Error('E_RUN_OWNED', `run ${runId} is queued for the workers, which this server cannot take it back from`, { hint: 'a worker runs it; stop the worker running it (SIGTERM) to interrupt it' });
    const mine = this.live.get(runId);
    if (mine && !mine.log.finished) {
      mine.controller.abort();
      return { runId, status: 'cancelling' };
    }
    if (run.status !== 'running') throw withHttpStatus(mpv2Error('E_USAGE', `run ${runId} is not running (it ${run.status})`, { hint: `POST /api/runs/${runId}/resume continues a failed or interrupted run` }), 409);
    throw mpv2Error('E_RUN_OWNED', `run ${runId} is run by another process (the CLI or a worker), which this server cannot stop`, { hint: `stop that process (Ctrl-C or SIGTERM); \`mpv2 runs show ${runId}\` names it` });
  }

  /**
   * The run's events after `afterId`, then the live ones, until `run.finished` or `stop()`.
   * A run started elsewhere is followed once for all its subscribers (run-follower.ts).
   * `onSeenEnd`: `afterId` is at or past the run's `run.finished` (a client reconnecting after the end).
   */
  async subscribe(runId: string, afterId: number | undefined, onEvent: (e: NumberedEvent) => void, onSeenEnd?: () => void): Promise<() => void> {
    const found = await this.findRun(runId);
    if (!found) await this.requireRun(runId);
    const mine = this.live.get(runId);
    if (mine) return mine.log.subscribe(afterId, onEvent, onSeenEnd);
    let f = this.followed.get(runId);
    if (!f) {
      // the workers' runs (journaled in Redis, or queued by this server) may have an event stream
      const ofWorkers = !found!.journal || found!.journal === this.opts.shared;
      const follower = new RunFollower(runId, {
        lookup: async () => { const x = await this.findRun(runId); return x?.journal && { run: x.run, journal: x.journal }; },
        ...(ofWorkers && this.opts.streams && { openStreams: this.opts.streams }),
        pollMs: this.opts.pollMs ?? 500,
      });
      this.followed.set(runId, follower);
      void follower.done.then(() => { if (this.followed.get(runId) === follower) this.followed.delete(runId); });
      f = follower;
    }
    const following = f;
    const off = following.log.subscribe(afterId, onEvent, onSeenEnd);
    return () => {
      off();
      // nobody watches: stop following (the next subscriber reads the history again)
      if (following.log.listening === 0) {
        if (this.followed.get(runId) === following) this.followed.delete(runId);
        following.stop();
      }
    };
  }

  /** Shutdown: new runs are refused, running ones are stopped as Ctrl-C stops a CLI run, and their ends journaled. */
  async close(): Promise<void> {
    this.closing = true;
    const running = [...this.live.values()].filter((r) => !r.log.finished);
    for (const r of running) r.controller.abort();
    const followers = [...this.followed.values()];
    for (const f of followers) f.stop();
    await Promise.all([...running.map((r) => r.done), ...followers.map((f) => f.done)]);
  }
}

function summary(r: RunRecord): RunSummaryView {
  return {
    runId: r.id, pipeline: r.pipeline, name: r.name, status: r.status, startedAt: r.startedAt,
    ...(r.finishedAt && { finishedAt: r.finishedAt, durationMs: Math.max(0, Date.parse(r.finishedAt) - Date.parse(r.startedAt)) }),
    ...(r.status === 'waiting-slot' && r.resumeAt && { resumeAt: r.resumeAt }),
  };
}

function stepViews(records: StepRecord[]): StepView[] {
  const view = (s: StepRecord) => ({
    status: s.status, cached: s.cached, attempts: s.attempts, startedAt: s.startedAt,
    ...(s.finishedAt && { finishedAt: s.finishedAt }), ...(s.durationMs !== undefined && { durationMs: s.durationMs }),
    ...(s.outputs !== undefined && { outputs: s.outputs }), ...(s.error && { error: s.error }), ...(s.skipReason && { skipReason: s.skipReason }),
  });
  const steps = new Map<string, StepView>();
  for (const s of records.filter((x) => x.index < 0)) steps.set(s.stepId, { stepId: s.stepId, plugin: s.plugin, ...view(s) });
  for (const s of records.filter((x) => x.index >= 0).sort((a, b) => a.index - b.index)) {
    const parent = steps.get(s.stepId) ?? { stepId: s.stepId, plugin: s.plugin, status: 'running' as const, cached: false, attempts: 0, startedAt: s.startedAt };
    (parent.items ??= []).push({ index: s.index, ...view(s) });
    steps.set(s.stepId, parent);
  }
  return [...steps.values()];
}
