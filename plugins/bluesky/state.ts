/**
 * What a post in progress keeps in the namespace store under its effect key, before the act:
 * the account, its DID, the record key chosen for the post, and the video job once the video
 * service returns it. A crashed run's successor asks the PDS for exactly that record, and an
 * upload that got as far as a job picks the job up instead of uploading again.
 */
import type { KeyValueStore } from 'mpv2/plugin';

export interface PostState {
  account: string;
  did: string;
  handle: string;
  rkey: string;
  jobId?: string;
}

export class PostRecord {
  constructor(private readonly store: KeyValueStore, private readonly key: string) {}
  get(): Promise<PostState | undefined> { return this.store.get<PostState>(`post/${this.key}`); }
  set(s: PostState): Promise<void> { return this.store.set(`post/${this.key}`, s); }
  clear(): Promise<void> { return this.store.delete(`post/${this.key}`); }
}
