/**
 * What an upload in progress leaves in the plugin store under its effect key: the account it
 * went to and (API) the resumable session URI. A crashed run's successor resumes the same
 * session or checks the same channel, so a rotated upload never lands on a second channel.
 */
import type { KeyValueStore } from 'mpv2/plugin';

export interface SessionData {
  account: string;
  driver: 'api' | 'browser';
  sessionUrl?: string;
  size?: number;
  startedAt: string;
}

/** Google keeps an upload session for about a week; older ones are not worth asking about. */
const SESSION_MAX_AGE_MS = 6 * 86_400_000;

export class SessionRecord {
  constructor(private readonly store: KeyValueStore, private readonly key: string, private readonly now: () => number = Date.now) {}

  async get(): Promise<SessionData | undefined> {
    return this.store.get<SessionData>(`session/${this.key}`);
  }

  /** The stored session URI, if fresh and for this file size. */
  async liveSession(size: number): Promise<string | undefined> {
    const d = await this.get();
    if (!d?.sessionUrl || d.size !== size) return undefined;
    return this.now() - Date.parse(d.startedAt) < SESSION_MAX_AGE_MS ? d.sessionUrl : undefined;
  }

  async set(data: Omit<SessionData, 'startedAt'>): Promise<void> {
    await this.store.set(`session/${this.key}`, { ...data, startedAt: new Date(this.now()).toISOString() });
  }

  async clear(): Promise<void> {
    await this.store.delete(`session/${this.key}`);
  }
}
