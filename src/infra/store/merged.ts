/**
 * Several stores read as one, for the commands and the API of a project whose runs live in
 * two places: its own SQLite state (`mpv2 run`, the local worker) and the workers' shared
 * Redis (`queue.url`). Lists merge newest first; a record is read, settled or removed in the
 * store that holds it. Nothing here writes a new record: runs and claims stay with the engine.
 */
import type { ApprovalRecord, ApprovalStore, EffectStore, JournalStore } from './types.js';

/** What reading a journal takes (`runs list|show`, an effect's live owner). */
export type JournalReader = Pick<JournalStore, 'getRun' | 'listRuns' | 'getSteps' | 'ownerOf'>;
/** What settling effects by hand takes (`effects list|resolve`). */
export type EffectAdmin = Pick<EffectStore, 'get' | 'list' | 'complete' | 'remove'>;
export type ApprovalReader = Pick<ApprovalStore, 'list'>;

const newestFirst = <T>(key: (x: T) => string) => (a: T, b: T) => key(b).localeCompare(key(a));

/** The first store that holds a record, with the record. */
async function holderOf<S, R>(stores: S[], get: (s: S) => Promise<R | undefined>): Promise<{ s: S; rec: R } | undefined> {
  for (const s of stores) {
    const rec = await get(s);
    if (rec) return { s, rec };
  }
  return undefined;
}

export function mergedJournal(journals: JournalReader[]): JournalReader {
  if (journals.length === 1) return journals[0]!;
  const holder = (id: string) => holderOf(journals, (j) => j.getRun(id));
  return {
    getRun: async (id) => (await holder(id))?.rec,
    async listRuns(opts = {}) {
      const all = (await Promise.all(journals.map((j) => j.listRuns(opts)))).flat();
      return all.sort(newestFirst((r) => r.startedAt)).slice(0, opts.limit ?? all.length);
    },
    getSteps: async (id) => (await (await holder(id))?.s.getSteps(id)) ?? [],
    ownerOf: async (id) => (await holder(id))?.s.ownerOf(id),
  };
}

export function mergedEffects(stores: EffectAdmin[]): EffectAdmin {
  if (stores.length === 1) return stores[0]!;
  const holder = (key: string) => holderOf(stores, (s) => s.get(key));
  return {
    get: async (key) => (await holder(key))?.rec,
    list: async (opts) => (await Promise.all(stores.map((s) => s.list(opts)))).flat().sort(newestFirst((e) => e.updatedAt)),
    async complete(key, result) { await (await holder(key))?.s.complete(key, result); },
    async remove(key) { await (await holder(key))?.s.remove(key); },
  };
}

export function mergedApprovals(stores: ApprovalReader[]): ApprovalReader {
  if (stores.length === 1) return stores[0]!;
  return { list: async (opts) => (await Promise.all(stores.map((s) => s.list(opts)))).flat().sort(newestFirst((a: ApprovalRecord) => a.createdAt)) };
}
