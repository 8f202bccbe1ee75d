/**
 * A project's stores as the commands and the API read them: its own state (runs of `mpv2 run`
 * and the local worker) and, when `queue.url` is set, the workers' shared Redis stores (runs,
 * effects and approvals of `mpv2 worker`s live only there). Without this an effect a worker
 * left in doubt could be neither listed nor settled from the CLI. Close it after use.
 */
import type { SharedCache } from '../engine/admin/cache-admin.js';
import type { Project } from '../engine/project.js';
import type { State } from '../infra/state.js';
import { rootRelativeEffects, rootRelativeJournal } from '../infra/store/root-relative.js';
import { mergedApprovals, mergedEffects, mergedJournal, type ApprovalReader, type EffectAdmin, type JournalReader } from '../infra/store/merged.js';
import type { SharedStores } from './redis/stores.js';

export type StoreSource = 'local' | 'redis';

export interface ProjectStores {
  sources: Array<{ source: StoreSource; stores: Pick<State, 'journal' | 'effects' | 'approvals' | 'kv'> }>;
  /** Both journals, effect stores and approval stores read as one. */
  journal: JournalReader;
  effects: EffectAdmin;
  approvals: ApprovalReader;
  /** The workers' step and call cache in Redis, with `queue.url`. */
  sharedCache?: SharedCache;
  close(): Promise<void>;
}

export async function openProjectStores(project: Project, o: { prefix?: string; shared?: SharedStores } = {}): Promise<ProjectStores> {
  const sources: ProjectStores['sources'] = [{ source: 'local', stores: project.state() }];
  const url = project.config.values.queue.url;
  let opened: SharedStores | undefined;
  let shared = o.shared;
  if (!shared && url) {
    // BullMQ and ioredis load only when there is a Redis to read: the local listing starts fast
    const [{ queuePrefix }, { pingRedis }, { openSharedStores }] = await Promise.all([import('./backend.js'), import('./redis/connection.js'), import('./redis/stores.js')]);
    await pingRedis(url);
    shared = opened = openSharedStores(url, o.prefix ?? queuePrefix());
  }
  if (shared) {
    // the workers journal paths inside the project relative to it (they may mount it elsewhere)
    const { journal, effects, approvals, kv } = shared.stores;
    sources.push({ source: 'redis', stores: { journal: rootRelativeJournal(journal, project.root), effects: rootRelativeEffects(effects, project.root), approvals, kv } });
  }
  return {
    sources,
    journal: mergedJournal(sources.map((s) => s.stores.journal)),
    effects: mergedEffects(sources.map((s) => s.stores.effects)),
    approvals: mergedApprovals(sources.map((s) => s.stores.approvals)),
    ...(shared && { sharedCache: shared.stores.keyvStore }),
    close: async () => { await opened?.close(); },
  };
}
