/** Shared types of the media plugins; the input and output types come from their schemas (schema.ts). */
import type { FetchImagesInput, MediaFile } from './schema.js';

export type { FetchImagesInput, FetchImagesOutput, MediaFile } from './schema.js';
export type Aspect = FetchImagesInput['aspect'];
export type ProviderName = FetchImagesInput['provider'];
export type MediaType = FetchImagesInput['type'];
export type Kind = MediaFile['kind'];

/** A place in the output list: which query it answers and what kind of media it wants. */
export interface Slot {
  index: number;
  query: string;
  /** Seed of this slot (stable for a given step seed, index and query). */
  seed: string;
  want: 'photo' | 'video';
  /** The script sentence this slot illustrates (`script` input); relevance is judged against it. */
  sentence?: string;
}

/** Something a provider offers for a slot; loaded only when it is its turn. */
export interface Candidate extends Pick<MediaFile, 'source' | 'id' | 'author' | 'authorUrl' | 'url' | 'license'> {
  /** `provider:id`, to drop the same photo offered twice. */
  key: string;
  kind: Kind;
  /** A local file reused because the folder holds fewer files than asked: skips dedupe. */
  reuse?: boolean;
  /** Fetches (or renders) the bytes. Throws an Mpv2Error saying whether a retry can help. */
  load(signal: AbortSignal): Promise<Buffer>;
  /**
   * What the provider says the picture shows (Pexels `alt`, Pixabay `tags`, the page URL's slug,
   * a library file's name and sidecar tags); the relevance check reads it. Absent for generated images.
   */
  describedBy?: string;
  /** A local clip: copied and hashed as a stream instead of being loaded (clips can be large). */
  localFile?: string;
}

/** Candidates for one slot, best first; `undefined` when none are left. */
export interface CandidateStream {
  next(): Promise<Candidate | undefined>;
}

export interface Provider {
  /** Name of the `ctx.limit` every request of this provider runs under; none for offline ones. */
  limit?: string;
  open(slot: Slot): CandidateStream;
}

export interface Target {
  width: number;
  height: number;
}

export const TARGETS: Record<Aspect, Target> = {
  '9:16': { width: 1080, height: 1920 },
  '16:9': { width: 1920, height: 1080 },
  '1:1': { width: 1080, height: 1080 },
};
