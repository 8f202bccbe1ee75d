/** Shapes shared by the youtube.upload plugin and its two drivers. */
import type { AccountSpec } from 'mpv2/plugin';

export type Visibility = 'private' | 'unlisted' | 'public';
export type DriverName = 'api' | 'browser';

/** `with` of youtube.upload, after the engine filled the defaults. */
export interface UploadInput {
  account?: AccountSpec | '';
  driver?: DriverName;
  video: string;
  title: string;
  description: string;
  tags: string[];
  categoryId: string;
  language?: string;
  visibility: Visibility;
  /** ISO 8601 instant, only with `private`. */
  publishAt?: string;
  madeForKids: boolean;
  syntheticMedia: boolean;
  thumbnail?: string;
  captions?: string;
  captionsLanguage?: string;
  playlist?: string;
}

/** What a driver uploads: the checked input (paths absolute) plus the file's size, hash and duration. */
export interface UploadRequest extends Omit<UploadInput, 'account' | 'driver'> {
  videoBytes: number;
  videoHash: string;
  /** Seconds, from ffprobe; undefined when it could not be read. */
  durationSec?: number;
  /** A tag carrying the content hash (`mpv2-<12 hex>`) when the tag budget leaves room for it. */
  hashTag?: string;
}

/** The uploaded video, as recorded by the effect (no secrets). */
export interface UploadedVideo {
  videoId: string;
  url: string;
  /** `uploaded`, `processed`, … (API `status.uploadStatus`), or `uploaded` for the browser driver. */
  status: string;
  account: string;
  driver: DriverName;
  visibility: Visibility;
  publishAt?: string;
  /** Browser driver: whether Studio took the custom thumbnail (the api driver sets it afterwards). */
  thumbnail?: 'set' | 'skipped';
}

export interface UploadOutput extends Omit<UploadedVideo, 'thumbnail'> {
  /** Whether this run uploaded (false: recorded earlier or found by reconciliation). */
  uploaded: boolean;
  thumbnail: 'set' | 'skipped' | 'none';
  captions: 'inserted' | 'skipped' | 'none';
  playlistItemId?: string;
}

export const videoUrl = (id: string): string => `https://www.youtube.com/watch?v=${id}`;
