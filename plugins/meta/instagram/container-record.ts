/**
 * The container of an upload in progress, saved under its effect key the moment Instagram
 * returns it: a crashed run's successor asks that container's status (and resumes its upload)
 * instead of guessing, and stays on the account it started with.
 */
import type { KeyValueStore } from 'mpv2/plugin';

export interface ContainerData {
  account: string;
  /** The account's IG user id, so the container can be checked even once the account is capped. */
  userId: string;
  containerId: string;
  /** The upload URL Instagram returned for the container (before any `uploadBaseUrl` rewrite). */
  uri: string;
  size: number;
  createdAt: string;
}

/** Instagram expires an unpublished container after 24 hours. */
export const CONTAINER_TTL_MS = 24 * 3_600_000;

export class ContainerRecord {
  constructor(private readonly store: KeyValueStore, private readonly key: string) {}

  get(): Promise<ContainerData | undefined> {
    return this.store.get<ContainerData>(`container/${this.key}`);
  }

  async set(data: Omit<ContainerData, 'createdAt'>): Promise<void> {
    await this.store.set(`container/${this.key}`, { ...data, createdAt: new Date().toISOString() });
  }

  async clear(): Promise<void> {
    await this.store.delete(`container/${this.key}`);
  }
}
