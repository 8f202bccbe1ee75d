/**
 * TikTok's chunk rules for FILE_UPLOAD (Content Posting API, media transfer guide): a video under
 * 5 MB goes whole; otherwise every chunk is 5–64 MB, `total_chunk_count` = floor(size /
 * chunk_size), the trailing bytes ride in the last chunk (up to 128 MB), 1–1000 chunks, sent in
 * order. Pure: the property tests check every plan against these rules.
 */
export const MiB = 1024 * 1024;
export const MIN_CHUNK = 5 * MiB;
export const MAX_CHUNK = 64 * MiB;
export const MAX_LAST_CHUNK = 128 * MiB;
export const MAX_CHUNKS = 1000;

export interface ChunkPlan {
  videoSize: number;
  chunkSize: number;
  totalChunkCount: number;
}

/** The plan for a video of `size` bytes, close to the `preferred` chunk size. */
export function planChunks(size: number, preferred: number): ChunkPlan {
  if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`video size must be a positive integer (got ${size})`);
  if (size < MIN_CHUNK) return { videoSize: size, chunkSize: size, totalChunkCount: 1 };
  let chunk = Math.min(Math.max(Math.floor(preferred), MIN_CHUNK), MAX_CHUNK);
  // a video of 5–64 MB that would make one chunk anyway is sent whole, as a chunk of its own size
  if (size <= MAX_CHUNK && size < 2 * chunk) return { videoSize: size, chunkSize: size, totalChunkCount: 1 };
  // a video over 64 MB goes in at least two chunks, even when the preferred size would make one
  if (Math.floor(size / chunk) < 2) chunk = Math.floor(size / 2);
  // more than 1000 chunks: grow them (a 64 GB video would need chunks over 64 MB: refused)
  if (Math.floor(size / chunk) > MAX_CHUNKS) chunk = Math.ceil(size / MAX_CHUNKS);
  if (chunk > MAX_CHUNK) throw new RangeError(`a video of ${size} bytes needs more than ${MAX_CHUNKS} chunks of 64 MB`);
  return { videoSize: size, chunkSize: chunk, totalChunkCount: Math.floor(size / chunk) };
}

/** Byte range [start, end] (inclusive) of chunk `i`: the last one takes the trailing bytes. */
export function chunkRange(plan: ChunkPlan, i: number): { start: number; end: number } {
  const start = i * plan.chunkSize;
  const end = i === plan.totalChunkCount - 1 ? plan.videoSize - 1 : start + plan.chunkSize - 1;
  return { start, end };
}
