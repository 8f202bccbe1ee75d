/**
 * Turns due cron fires into queued runs, one per tick id (schedule + fire time). Time comes
 * from the caller (`tick(now)`), so tests drive it with a fake clock instead of sleeping.
 *
 * - A fire within `lateToleranceMs` of now is on time and runs.
 * - Older fires were missed (no worker ran): `missed: run-once` runs the latest of them once
 *   (unless an on-time fire runs anyway), `missed: skip` drops them; either way it is logged.
 * - A schedule whose previous run is queued or running: `overlap: skip` records the tick as
 *   skipped and logs it; `overlap: queue` queues it (the worker runs it after the previous one).
 */
import { firesBetween } from '../infra/cron.js';
import { makeJob } from './job-id.js';
import type { ScheduleStore, TickStatus } from './schedules.js';
import type { JobStatus, RunJob, Schedule } from './types.js';

export interface SchedulerDeps {
  schedules: ScheduleStore;
  /** Queues a job (idempotent by job id). */
  enqueue(job: RunJob): Promise<unknown>;
  /** Schedules that have a run queued or running now. */
  busy(): Promise<Map<string, JobStatus>>;
  log(level: 'info' | 'warn', message: string, fields?: Record<string, unknown>): void;
  /** @default 60_000 */
  lateToleranceMs?: number;
}

export interface TickAction {
  schedule: string;
  tick: string;
  status: TickStatus;
  jobId?: string;
}

export class Scheduler {
  constructor(private readonly d: SchedulerDeps) {}

  async tick(now: Date): Promise<TickAction[]> {
    const actions: TickAction[] = [];
    for (const s of await this.d.schedules.list()) {
      if (s.paused) continue;
      actions.push(...(await this.fire(s, now)));
      await this.d.schedules.markChecked(s.name, now);
    }
    return actions;
  }

  private async fire(s: Schedule, now: Date): Promise<TickAction[]> {
    const fires = firesBetween({ cron: s.cron, tz: s.tz }, new Date(s.checkedUntil), now);
    if (fires.length === 0) return [];
    const tolerance = this.d.lateToleranceMs ?? 60_000;
    const onTime = fires.filter((f) => now.getTime() - f.getTime() <= tolerance);
    const missed = fires.filter((f) => now.getTime() - f.getTime() > tolerance);
    const due = [...onTime];
    const out: TickAction[] = [];
    if (missed.length > 0) {
      const last = missed[missed.length - 1]!;
      if (s.missed === 'run-once' && onTime.length === 0) due.push(last);
      else {
        out.push({ schedule: s.name, tick: last.toISOString(), status: 'skipped-missed' });
        await this.d.schedules.putTick({ schedule: s.name, tick: last.toISOString(), status: 'skipped-missed', at: now.toISOString() });
      }
      const dropped = s.missed === 'run-once' && onTime.length === 0 ? missed.length - 1 : missed.length;
      if (dropped > 0) this.d.log('warn', `schedule "${s.name}": ${dropped} fire(s) missed while no worker ran were skipped (missed: ${s.missed})`, { schedule: s.name, missed: dropped });
      if (due.includes(last)) this.d.log('info', `schedule "${s.name}": running the missed fire of ${last.toISOString()} once`, { schedule: s.name, tick: last.toISOString() });
    }
    for (const f of due) {
      const tick = f.toISOString();
      if (await this.d.schedules.getTick(s.name, tick)) continue; // this tick id already ran or was skipped
      const busy = (await this.d.busy()).get(s.name);
      if (busy && s.overlap === 'skip') {
        this.d.log('warn', `schedule "${s.name}": fire of ${tick} skipped, the previous run is still ${busy} (overlap: skip)`, { schedule: s.name, tick });
        await this.d.schedules.putTick({ schedule: s.name, tick, status: 'skipped-overlap', at: now.toISOString() });
        out.push({ schedule: s.name, tick, status: 'skipped-overlap' });
        continue;
      }
      const job = makeJob({ pipeline: s.pipeline, inputs: s.inputs, schedule: s.name, tick }, now);
      // queue first, then record the tick: a crash in between re-queues the same job id, which is a no-op
      await this.d.enqueue(job);
      await this.d.schedules.putTick({ schedule: s.name, tick, status: 'queued', jobId: job.id, at: now.toISOString() });
      out.push({ schedule: s.name, tick, status: 'queued', jobId: job.id });
    }
    return out;
  }
}
