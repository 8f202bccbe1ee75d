/** Shapes shared by the youtube.upload plugin and its two drivers. */

import type { UploadInput } from './upload-schema.js';

export type { UploadInput, UploadOutput } from './upload-schema.js';
export type Visibility = UploadInput['visibility'];
export type DriverName = NonNullable<UploadInput['driver']>;

/** What a driver uploads: the checked input (paths absolute) plus the file's size, hash and duration. */
export interface UploadRequest extends Omit<UploadInput, 'account' | 'driver'> {
  videoBytes: number;
  videoHash: string;
  /** Seconds, from ffprobe; undefined when it could not be read. */
  durationSec?: number;
  /** A tag carrying the content hash (`mpv2-<12 hex>`) when the tag budget leaves room for it. */
  hashTag?: string;
  /** `publishAt: next-slot`: the account's next free posting slot fills `publishAt` once the account is picked. */
  nextSlot?: boolean;
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

export const videoUrl = (id: string): string => `https://www.youtube.com/watch?v=${id}`;
