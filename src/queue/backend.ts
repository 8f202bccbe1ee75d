/**
 * The queue a project uses: local (the project's SQLite state, one `mpv2 worker` per
 * project) or shared (BullMQ + the Redis stores) when `queue.url` is set. The CLI's
 * `enqueue` and `schedule …` commands work the same on both.
 */
import type { Project } from '../engine/project.js';
import type { KvStore } from '../infra/store/types.js';
import { BullQueue } from './bull-queue.js';
import { nextFires } from '../infra/cron.js';
import { LocalQueue, type EnqueueResult } from './local-queue.js';
import { pingRedis } from './redis/connection.js';
import { openSharedStores, type SharedStores } from './redis/stores.js';
import { ScheduleStore, type NewSchedule } from './schedules.js';
import type { RunJob, Schedule } from './types.js';

export interface QueueBackend {
  mode: 'local' | 'redis';
  kv: KvStore;
  schedules: ScheduleStore;
  /** Redis mode only. */
  shared?: SharedStores;
  bull?: BullQueue;
  local?: LocalQueue;
  enqueue(job: RunJob): Promise<EnqueueResult>;
  addSchedule(s: NewSchedule, now: Date): Promise<Schedule>;
  removeSchedule(name: string): Promise<void>;
  setPaused(name: string, paused: boolean, now: Date): Promise<Schedule>;
  /** The next `n` fire times (Redis mode: the first is BullMQ's queued fire when known). */
  upcoming(s: Schedule, n: number, now: Date): Promise<Date[]>;
  close(): Promise<void>;
}

/** Redis key prefix: `MPV2_QUEUE_PREFIX` lets several projects share one Redis. */
export function queuePrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.MPV2_QUEUE_PREFIX || 'mpv2';
}

export async function openBackend(project: Project, o: { prefix?: string; onQueueError?: (e: Error) => void } = {}): Promise<QueueBackend> {
  const url = project.config.values.queue.url;
  if (!url) {
    const kv = project.state().kv;
    const schedules = new ScheduleStore(kv);
    const local = new LocalQueue(kv);
    return {
      mode: 'local', kv, schedules, local,
      enqueue: (job) => local.enqueue(job),
      addSchedule: (s, now) => schedules.add(s, now),
      removeSchedule: (name) => schedules.remove(name),
      setPaused: (name, paused, now) => schedules.setPaused(name, paused, now),
      upcoming: async (s, n, now) => (s.paused ? [] : nextFires(s, now, n)),
      close: async () => undefined,
    };
  }
  await pingRedis(url);
  const prefix = o.prefix ?? queuePrefix();
  const shared = openSharedStores(url, prefix);
  const bull = new BullQueue(url, prefix, undefined, o.onQueueError);
  const schedules = new ScheduleStore(shared.stores.kv);
  return {
    mode: 'redis', kv: shared.stores.kv, schedules, shared, bull,
    enqueue: (job) => bull.enqueue(job),
    async addSchedule(s, now) {
      const rec = await schedules.add(s, now);
      await bull.upsertSchedule(rec);
      return rec;
    },
    async removeSchedule(name) {
      await schedules.remove(name);
      await bull.removeSchedule(name);
    },
    async setPaused(name, paused, now) {
      const rec = await schedules.setPaused(name, paused, now);
      if (paused) await bull.removeSchedule(name);
      else await bull.upsertSchedule(rec);
      return rec;
    },
    async upcoming(s, n, now) {
      if (s.paused) return [];
      return nextFires(s, now, n);
    },
    async close() {
      await bull.close();
      await shared.close();
    },
  };
}
