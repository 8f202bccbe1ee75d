/** Shared types of the media plugins. */
export type Aspect = '9:16' | '16:9' | '1:1';
export type ProviderName = 'generate' | 'local' | 'pexels' | 'pixabay' | 'openai-images';
export type MediaType = 'photo' | 'video' | 'mixed';
export type Kind = 'image' | 'video';

/** `with` of media.fetchImages after the engine filled in the schema defaults. */
export interface FetchImagesInput {
  queries: string | string[];
  count?: number;
  aspect: Aspect;
  provider: ProviderName;
  seed?: string | number;
  type: MediaType;
  fit: 'cover' | 'contain';
  position: 'attention' | 'entropy' | 'center';
  background: string;
  format: 'jpeg' | 'png';
  path?: string;
  concurrency: number;
  text: boolean;
}

/** One fetched file, as the step outputs it. */
export interface MediaFile {
  /** Absolute path inside the step's workdir. */
  path: string;
  kind: Kind;
  width: number;
  height: number;
  /** Seconds, for clips. */
  duration?: number;
  /** The provider name. */
  source: ProviderName;
  /** The provider's id of the photo/clip, or the file name for `local`. */
  id?: string;
  author: string;
  authorUrl?: string;
  /** Page of the photo on the provider's site (or the local file). */
  url: string;
  license: string;
  /** The query this file answers. */
  query: string;
}

export interface FetchImagesOutput {
  files: MediaFile[];
  /** Human-readable credits, one line per author. */
  attribution: string;
}

/** A place in the output list: which query it answers and what kind of media it wants. */
export interface Slot {
  index: number;
  query: string;
  /** Seed of this slot (stable for a given step seed, index and query). */
  seed: string;
  want: 'photo' | 'video';
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
