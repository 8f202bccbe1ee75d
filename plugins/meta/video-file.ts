/** What both Meta namespaces check of a video file before any network call: its size, its probe, and the error that names the field. */
import { stat } from 'node:fs/promises';
import { mpv2Error } from 'mpv2/plugin';

export const invalid = (field: string, message: string, hint: string) =>
  mpv2Error('E_PLUGIN_INPUT_INVALID', `with.${field} ${message}`, { hint, details: { field } });

export interface VideoFacts { bytes: number; seconds: number; width: number; height: number; fps: number }

/** ffprobe's `30000/1001` as frames per second. */
export const rate = (r: string | undefined): number => {
  const [n, d] = (r ?? '').split('/').map(Number);
  return n && d ? n / d : Number(n) || 0;
};

/** The video's size; E_FILE naming the field when it cannot be read. */
export async function videoSize(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    return s.size;
  } catch (e) {
    throw mpv2Error('E_FILE', `with.video: cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
}
