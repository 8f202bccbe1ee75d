/**
 * The Page's Reels published through the API in the last 24 hours, counted in the namespace
 * store: Meta allows 30 in a moving 24 hours and offers no call that tells how many are left,
 * so mpv2 counts its own and refuses before uploading once the Page has used them.
 */
import { pluginError } from 'mpv2/plugin';
import type { KeyValueStore } from 'mpv2/plugin';

const DAY_MS = 24 * 3_600_000;

export class PublishWindow {
  constructor(private readonly store: KeyValueStore, private readonly pageId: string, private readonly limit: number) {}

  private async recent(): Promise<number[]> {
    const now = Date.now();
    return ((await this.store.get<number[]>(`published/${this.pageId}`)) ?? []).filter((t) => now - t < DAY_MS);
  }

  /** Refuses (nothing uploaded) when the Page has no Reel left in the moving 24 hours. */
  async check(account: string): Promise<void> {
    const times = await this.recent();
    if (times.length < this.limit) return;
    const retryAfterMs = Math.min(...times) + DAY_MS - Date.now();
    throw pluginError('facebook/PUBLISHING_LIMIT', `the Page of account "${account}" published ${times.length} Reels through the API in the last 24 hours; Meta allows ${this.limit}`, {
      hint: `nothing was uploaded; the next one is free at ${new Date(Date.now() + retryAfterMs).toISOString()}, or rotate to another Page`,
      retryAfterMs, notDone: true, details: { used: times.length, limit: this.limit },
    });
  }

  /** Reels the Page may still publish in the moving 24 hours. */
  async left(): Promise<number> {
    return Math.max(0, this.limit - (await this.recent()).length);
  }

  async add(): Promise<void> {
    await this.store.set(`published/${this.pageId}`, [...(await this.recent()), Date.now()]);
  }
}
