/**
 * Schedules and their tick records in the project's key-value store (`.mpv2/state.db`, or
 * Redis when workers share a queue). A tick record is written before the run is queued, so
 * each (schedule, fire time) pair runs at most once.
 */
import { basename, extname } from 'node:path';
import { mpv2Error } from '../errors.js';
import type { KvStore } from '../infra/store/types.js';
import { checkCron } from '../infra/cron.js';
import type { MissedPolicy, OverlapPolicy, Schedule } from './types.js';

const NS = 'schedules';
const TICKS = 'schedule-ticks';

export type TickStatus = 'queued' | 'skipped-overlap' | 'skipped-missed';

export interface TickRecord {
  schedule: string;
  /** Fire time, ISO. */
  tick: string;
  status: TickStatus;
  jobId?: string;
  at: string;
}

export interface NewSchedule {
  pipeline: string;
  cron: string;
  tz?: string;
  name?: string;
  inputs?: Record<string, unknown>;
  overlap?: OverlapPolicy;
  missed?: MissedPolicy;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Tick ids: `<schedule>@<ISO fire time>`. */
export const tickId = (schedule: string, tick: string) => `${schedule}@${tick}`;

export class ScheduleStore {
  constructor(private readonly kv: KvStore) {}

  async add(s: NewSchedule, now: Date): Promise<Schedule> {
    const name = s.name ?? basename(s.pipeline, extname(s.pipeline));
    if (!NAME.test(name)) throw mpv2Error('E_USAGE', `schedule name ${JSON.stringify(name)} must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`, { hint: 'pass --name' });
    checkCron({ cron: s.cron, tz: s.tz });
    if (await this.get(name)) throw mpv2Error('E_USAGE', `a schedule named "${name}" already exists`, { hint: `remove it first (\`mpv2 schedule remove ${name}\`) or pass another --name` });
    const { overlap = 'skip', missed = 'run-once' } = s;
    const rec: Schedule = {
      name, pipeline: s.pipeline, cron: s.cron, ...(s.tz && { tz: s.tz }), inputs: s.inputs ?? {}, overlap, missed,
      paused: false, createdAt: now.toISOString(), checkedUntil: now.toISOString(),
    };
    await this.kv.set(NS, name, rec);
    return rec;
  }

  get(name: string): Promise<Schedule | undefined> {
    return this.kv.get<Schedule>(NS, name);
  }

  async require(name: string): Promise<Schedule> {
    const s = await this.get(name);
    if (!s) {
      const names = (await this.list()).map((x) => x.name);
      throw mpv2Error('E_NOT_FOUND', `no schedule named "${name}"`, { hint: names.length ? `schedules: ${names.join(', ')}` : 'add one with `mpv2 schedule add <pipeline> --cron "0 9 * * *"`' });
    }
    return s;
  }

  async list(): Promise<Schedule[]> {
    return (await this.kv.list<Schedule>(NS, '')).map((e) => e.value);
  }

  async remove(name: string): Promise<void> {
    await this.require(name);
    await this.kv.delete(NS, name);
  }

  /** Pausing stops fires; resuming skips the fires that fell in the pause (they were not missed by downtime). */
  async setPaused(name: string, paused: boolean, now: Date): Promise<Schedule> {
    const s = await this.require(name);
    const next: Schedule = { ...s, paused, ...(!paused && s.paused && { checkedUntil: now.toISOString() }) };
    await this.kv.set(NS, name, next);
    return next;
  }

  async markChecked(name: string, until: Date): Promise<void> {
    const s = await this.get(name);
    if (s && Date.parse(s.checkedUntil) < until.getTime()) await this.kv.set(NS, name, { ...s, checkedUntil: until.toISOString() });
  }

  getTick(schedule: string, tick: string): Promise<TickRecord | undefined> {
    return this.kv.get<TickRecord>(TICKS, tickId(schedule, tick));
  }

  async putTick(rec: TickRecord): Promise<void> {
    await this.kv.set(TICKS, tickId(rec.schedule, rec.tick), rec);
  }

  async ticks(schedule: string): Promise<TickRecord[]> {
    return (await this.kv.list<TickRecord>(TICKS, `${schedule}@`)).map((e) => e.value);
  }
}
