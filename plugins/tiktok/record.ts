/**
 * What an upload in progress keeps in the namespace store under its effect key, written as soon
 * as TikTok returns it: the account, the publish_id, the upload URL and how many chunks TikTok
 * has acknowledged. A crashed run's successor asks status/fetch through the publish_id first and
 * resumes at the next chunk, on the same account.
 */
import type { KeyValueStore } from 'mpv2/plugin';
import type { ChunkPlan } from './chunks.js';

export interface UploadState {
  account: string;
  driver?: 'api' | 'browser';
  username?: string;
  publishId?: string;
  uploadUrl?: string;
  plan?: ChunkPlan;
  /** Chunks TikTok acknowledged (206/201), in order. */
  acked: number;
  startedAt: string;
}

/** TikTok's upload URLs are valid for one hour; a little less, to be safe. */
const UPLOAD_URL_TTL_MS = 55 * 60_000;

export class UploadRecord {
  constructor(private readonly store: KeyValueStore, private readonly key: string, private readonly now: () => number = Date.now) {}

  get(): Promise<UploadState | undefined> {
    return this.store.get<UploadState>(`upload/${this.key}`);
  }

  async set(state: Omit<UploadState, 'startedAt'> & { startedAt?: string }): Promise<void> {
    await this.store.set(`upload/${this.key}`, { ...state, startedAt: state.startedAt ?? new Date(this.now()).toISOString() });
  }

  /** True while the stored upload URL may still take chunks. */
  live(s: UploadState): boolean {
    return this.now() - Date.parse(s.startedAt) < UPLOAD_URL_TTL_MS;
  }

  clear(): Promise<void> {
    return this.store.delete(`upload/${this.key}`);
  }
}
