/** What the `enqueue` and `schedule …` commands do, behind their flag parsing. */
import { relative } from 'node:path';
import type { Project } from '../engine/project.js';
import { checkInputs, parseInputArgs } from '../engine/inputs.js';
import { loadPipeline } from '../engine/run.js';
import { openBackend } from './backend.js';
import { makeJob, runIdForJob } from './job-id.js';
import type { EnqueueResult } from './local-queue.js';
import type { MissedPolicy, OverlapPolicy, Schedule } from './types.js';

/** Validates the pipeline and its inputs now (exit 2 on a mistake), so the worker gets a run that can start. */
async function checkedRun(project: Project, cwd: string, file: string, inputArgs: string[], given: Record<string, unknown> = {}): Promise<{ pipeline: string; inputs: Record<string, unknown> }> {
  const p = await loadPipeline(project, cwd, file);
  const inputs = checkInputs({ ...parseInputArgs(inputArgs, p.inputs, cwd), ...given }, p.inputs);
  return { pipeline: relative(project.root, p.file), inputs };
}

export interface EnqueueOptions {
  project: Project;
  cwd: string;
  file: string;
  inputArgs: string[];
  /** Inputs as values (the HTTP API), over those of `inputArgs`. */
  inputs?: Record<string, unknown>;
  /** Makes a run distinct from an otherwise identical one (same pipeline and inputs). */
  key?: string;
  now?: Date;
}

export async function enqueueRun(o: EnqueueOptions): Promise<EnqueueResult & { mode: 'local' | 'redis'; runId: string }> {
  const run = await checkedRun(o.project, o.cwd, o.file, o.inputArgs, o.inputs);
  const backend = await openBackend(o.project);
  try {
    const r = await backend.enqueue(makeJob({ ...run, key: o.key }, o.now ?? new Date()));
    return { ...r, mode: backend.mode, runId: runIdForJob(r.job) };
  } finally {
    await backend.close();
  }
}

export interface AddScheduleOptions {
  project: Project;
  cwd: string;
  file: string;
  cron: string;
  tz?: string;
  name?: string;
  inputArgs: string[];
  /** Inputs as values (the HTTP API), over those of `inputArgs`. */
  inputs?: Record<string, unknown>;
  overlap?: OverlapPolicy;
  missed?: MissedPolicy;
}

export async function addSchedule(o: AddScheduleOptions): Promise<{ schedule: Schedule; next: Date[]; mode: 'local' | 'redis' }> {
  const run = await checkedRun(o.project, o.cwd, o.file, o.inputArgs, o.inputs);
  const backend = await openBackend(o.project);
  try {
    const now = new Date();
    const schedule = await backend.addSchedule({ ...run, cron: o.cron, tz: o.tz, name: o.name, overlap: o.overlap, missed: o.missed }, now);
    return { schedule, next: await backend.upcoming(schedule, 3, now), mode: backend.mode };
  } finally {
    await backend.close();
  }
}

export interface ScheduleRow extends Schedule {
  next: string[];
  lastTick?: { tick: string; status: string };
}

export async function listSchedules(project: Project, n = 3): Promise<ScheduleRow[]> {
  const backend = await openBackend(project);
  try {
    const now = new Date();
    const rows: ScheduleRow[] = [];
    for (const s of await backend.schedules.list()) {
      const ticks = await backend.schedules.ticks(s.name);
      const last = ticks.sort((a, b) => a.tick.localeCompare(b.tick)).at(-1);
      rows.push({ ...s, next: (await backend.upcoming(s, n, now)).map((d) => d.toISOString()), ...(last && { lastTick: { tick: last.tick, status: last.status } }) });
    }
    return rows;
  } finally {
    await backend.close();
  }
}

export async function changeSchedule(project: Project, name: string, change: 'remove' | 'pause' | 'resume'): Promise<Schedule | undefined> {
  const backend = await openBackend(project);
  try {
    if (change === 'remove') { await backend.removeSchedule(name); return undefined; }
    return await backend.setPaused(name, change === 'pause', new Date());
  } finally {
    await backend.close();
  }
}
