/**
 * Accounts, schedules, effects and the cache for the API: the CLI's operations (the same
 * functions `mpv2 accounts|schedule|effects|cache` call), shaped for JSON and free of secrets.
 */
import type { Project } from '../engine/project.js';
import { projectCacheStats, type CacheStats } from '../engine/admin/cache-admin.js';
import { listEffects, resolveEffect, type Resolution, type ResolveResult } from '../engine/admin/effects-admin.js';
import { listAccounts, openAccounts } from '../infra/accounts/index.js';
import type { EffectRecord, EffectStatus } from '../infra/store/types.js';
import type { Schedule } from '../queue/types.js';
import type { NewSchedule } from '../queue/schedules.js';
import type { ScheduleRow } from '../queue/ops.js';
import { openProjectStores } from '../queue/project-stores.js';
import type { SharedStores } from '../queue/redis/stores.js';
import { pipelineFileFor } from './pipelines.js';

export interface AccountSummary {
  name: string;
  platform: string;
  niche?: string;
  language?: string;
  /** `disabled`, `capped` (today's acts reached `maxPerDay`) or `ok`. */
  health: 'ok' | 'capped' | 'disabled';
  usesToday: number;
  maxPerDay?: number;
  lastUse?: string;
  /** Whether credentials are stored (never what they are). */
  hasCredentials: boolean;
}

/** Accounts as `mpv2 accounts list` shows them: names and counts, never a secret or its names' values. */
export async function accountSummaries(project: Project, now = new Date()): Promise<AccountSummary[]> {
  const h = openAccounts({ root: project.root, kv: project.state().kv, masterKey: project.config.secrets.MPV2_MASTER_KEY });
  const { accounts } = await listAccounts(h, now);
  return accounts.map((a) => ({
    name: a.name, platform: a.platform, ...(a.niche && { niche: a.niche }), ...(a.language && { language: a.language }),
    health: a.disabled ? 'disabled' : a.maxPerDay !== undefined && a.usesToday >= a.maxPerDay ? 'capped' : 'ok',
    usesToday: a.usesToday, ...(a.maxPerDay !== undefined && { maxPerDay: a.maxPerDay }), ...(a.lastUse && { lastUse: a.lastUse }),
    hasCredentials: a.secretKeys.length > 0,
  }));
}

export async function schedules(project: Project): Promise<ScheduleRow[]> {
  const { listSchedules } = await import('../queue/ops.js');
  return listSchedules(project);
}

/** What a new schedule takes: the queue's own request, its pipeline an id or a project path. */
export type NewScheduleRequest = NewSchedule;

export async function addSchedule(project: Project, r: NewScheduleRequest): Promise<Schedule & { next: string[] }> {
  const ops = await import('../queue/ops.js');
  const s = await ops.addSchedule({ project, cwd: project.root, file: pipelineFileFor(project, r.pipeline), cron: r.cron, tz: r.tz, name: r.name, inputArgs: [], inputs: r.inputs ?? {}, overlap: r.overlap, missed: r.missed });
  return { ...s.schedule, next: s.next.map((d) => d.toISOString()) };
}

export async function changeSchedule(project: Project, name: string, change: 'pause' | 'resume' | 'remove'): Promise<Schedule | undefined> {
  const ops = await import('../queue/ops.js');
  return ops.changeSchedule(project, name, change);
}

/** The effects of this project's runs and, with `queue.url`, of the workers' (in Redis). */
export async function effects(project: Project, o: { status?: EffectStatus; runId?: string }, shared?: SharedStores): Promise<EffectRecord[]> {
  const stores = await openProjectStores(project, { shared });
  return listEffects(stores, o).finally(() => stores.close());
}

/** Settles an effect in the store that holds it (this project's, or the workers'). */
export async function settleEffect(project: Project, key: string, how: Resolution, shared?: SharedStores): Promise<ResolveResult> {
  const stores = await openProjectStores(project, { shared });
  return resolveEffect(stores, key, how).finally(() => stores.close());
}

export async function cache(project: Project, shared?: SharedStores): Promise<CacheStats> {
  return projectCacheStats(project.state(), shared?.stores.keyvStore);
}
