/**
 * The video of an upload in progress, saved under its effect key the moment Facebook returns
 * it: a crashed run's successor asks that video's status (and resumes its upload or finishes
 * it) instead of starting a second one, and stays on the Page it started with.
 */
import type { KeyValueStore } from 'mpv2/plugin';

export interface VideoData {
  account: string;
  /** The account's Page id, so the video can be checked even once the account is capped. */
  pageId: string;
  videoId: string;
  /** The upload URL Facebook returned (before any `uploadBaseUrl` rewrite). */
  uploadUrl: string;
  size: number;
  createdAt: string;
}

export class VideoRecord {
  constructor(private readonly store: KeyValueStore, private readonly key: string) {}

  get(): Promise<VideoData | undefined> {
    return this.store.get<VideoData>(`video/${this.key}`);
  }

  async set(data: Omit<VideoData, 'createdAt'>): Promise<void> {
    await this.store.set(`video/${this.key}`, { ...data, createdAt: new Date().toISOString() });
  }

  async clear(): Promise<void> {
    await this.store.delete(`video/${this.key}`);
  }
}
