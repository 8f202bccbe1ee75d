/**
 * Data API quota, counted per OAuth client (one Google Cloud project) per Pacific-time day in
 * the plugin store, so every run and every account sharing a client sees the same numbers.
 * Costs follow https://developers.google.com/youtube/v3/determine_quota_cost: videos.insert
 * and search.list have their own buckets (100 calls a day); everything else shares
 * `quotaPerDay` units. `legacyQuota` counts the old single bucket (insert 1600, search 100).
 */
import { mpv2Error } from 'mpv2/plugin';
import { sha256 } from 'mpv2/plugin';
import type { KeyValueStore } from 'mpv2/plugin';

export const UNIT_COST = {
  'videos.insert': 1600,
  'videos.list': 1,
  'channels.list': 1,
  'playlistItems.list': 1,
  'playlistItems.insert': 50,
  'thumbnails.set': 50,
  'captions.insert': 400,
  'captions.list': 50,
  'search.list': 100,
} as const;
export type QuotaMethod = keyof typeof UNIT_COST;

type Bucket = 'units' | 'uploads' | 'searches';
export interface QuotaUsage { units: number; uploads: number; searches: number }
export interface QuotaLimits { unitsPerDay: number; uploadsPerDay: number; searchesPerDay?: number; legacy: boolean }

/** The calendar day in America/Los_Angeles, when YouTube resets quotas. */
export function pacificDay(now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const locks = new Map<string, Promise<unknown>>();
/** Serializes read-modify-write of one store key inside this process (foreach items share a client). */
async function locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  locks.set(key, next.catch(() => undefined));
  return next;
}

export class QuotaTracker {
  private readonly client: string;

  constructor(
    private readonly store: KeyValueStore,
    clientId: string,
    readonly limits: QuotaLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.client = sha256(clientId).slice(0, 16);
  }

  private key(): string { return `quota/${this.client}/${pacificDay(this.now())}`; }

  private charge(method: QuotaMethod): { bucket: Bucket; amount: number } {
    if (!this.limits.legacy && method === 'videos.insert') return { bucket: 'uploads', amount: 1 };
    if (!this.limits.legacy && method === 'search.list') return { bucket: 'searches', amount: 1 };
    return { bucket: 'units', amount: UNIT_COST[method] };
  }

  private limit(bucket: Bucket): number {
    if (bucket === 'uploads') return this.limits.uploadsPerDay;
    if (bucket === 'searches') return this.limits.searchesPerDay ?? 100;
    return this.limits.unitsPerDay;
  }

  async usage(): Promise<QuotaUsage> {
    return { units: 0, uploads: 0, searches: 0, ...((await this.store.get<QuotaUsage>(this.key())) ?? {}) };
  }

  /** Refuses (E_RATE_LIMITED) when the calls together would go over today's quota; charges nothing. */
  async check(methods: QuotaMethod[]): Promise<void> {
    const used = await this.usage();
    const need: QuotaUsage = { units: 0, uploads: 0, searches: 0 };
    for (const m of methods) { const c = this.charge(m); need[c.bucket] += c.amount; }
    for (const b of ['uploads', 'searches', 'units'] as Bucket[]) {
      if (need[b] > 0 && used[b] + need[b] > this.limit(b)) throw this.exceeded(b, used[b], need[b], methods);
    }
  }

  /** Checks and counts one call (every call costs, even a failed one). */
  async spend(method: QuotaMethod): Promise<void> {
    await locked(this.key(), async () => {
      await this.check([method]);
      const used = await this.usage();
      const c = this.charge(method);
      used[c.bucket] += c.amount;
      await this.store.set(this.key(), used);
    });
  }

  /** The server said the quota is gone: remember it, so later calls today are refused early. */
  async exhaust(method: QuotaMethod): Promise<void> {
    await locked(this.key(), async () => {
      const used = await this.usage();
      const c = this.charge(method);
      used[c.bucket] = Math.max(used[c.bucket], this.limit(c.bucket));
      await this.store.set(this.key(), used);
    });
  }

  private exceeded(bucket: Bucket, used: number, need: number, methods: QuotaMethod[]) {
    const what = bucket === 'units' ? 'quota units' : bucket === 'uploads' ? 'videos.insert calls' : 'search.list calls';
    const setting = bucket === 'units' ? 'youtube.quotaPerDay (or the account setting quotaPerDay)' : bucket === 'uploads' ? 'youtube.uploadsPerDay' : 'the search quota';
    return mpv2Error('E_RATE_LIMITED', `YouTube Data API quota of this OAuth client is used up for today: ${used} of ${this.limit(bucket)} ${what} used, ${methods.join(' + ')} needs ${need} more`, {
      retryable: false,
      retryAfterMs: msToPacificMidnight(this.now()),
      hint: `quotas reset at midnight Pacific time; if your Google Cloud project has a higher quota, raise ${setting}`,
      details: { bucket, used, need, limit: this.limit(bucket) },
    });
  }
}

function msToPacificMidnight(now: number): number {
  const today = pacificDay(now);
  let t = now;
  // walk forward in 15-minute steps until the Pacific date changes (DST-safe, at most 96 steps)
  while (pacificDay(t) === today) t += 15 * 60_000;
  return t - now;
}
