/**
 * Sidecar tags of a local image or clip: `photo.jpg.tags` (tags separated by commas or lines),
 * or `photo.jpg.json` / `photo.json` holding `{ "tags": ["…"] }`. The first that exists is read.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { StepContext } from 'mpv2/plugin';

/** Tags are a few words: a bigger "sidecar" is not one (and is never read whole). */
const MAX_SIDECAR_BYTES = 64 * 1024;

type SidecarContext = Pick<StepContext, 'log' | 'resolvePath'>;

/** The sidecar's text, or undefined when there is none. It goes through the sandbox like the file itself: a symlink leading out of the project is skipped. */
async function readText(ctx: SidecarContext, f: string): Promise<string | undefined> {
  const st = await stat(f).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  let safe: string;
  try {
    safe = ctx.resolvePath(f);
  } catch (e) {
    ctx.log.warn(`skipped sidecar ${f}: ${(e as Error).message}`);
    return undefined;
  }
  if (st.size > MAX_SIDECAR_BYTES) {
    ctx.log.warn(`skipped sidecar ${f}: ${st.size} bytes is too big for a list of tags (at most ${MAX_SIDECAR_BYTES})`);
    return undefined;
  }
  return readFile(safe, 'utf8').catch(() => undefined);
}

/** The tags of a file's sidecar, or [] (a sidecar that is not valid is a warning, not a failure). */
export async function sidecarTags(ctx: SidecarContext, file: string): Promise<string[]> {
  const plain = await readText(ctx, `${file}.tags`);
  if (plain !== undefined) return plain.split(/[,\n]/).map((t) => t.trim()).filter(Boolean);
  for (const side of [`${file}.json`, join(dirname(file), `${basename(file, extname(file))}.json`)]) {
    const text = await readText(ctx, side);
    if (text === undefined) continue;
    try {
      const tags = (JSON.parse(text) as { tags?: unknown }).tags;
      if (Array.isArray(tags) && tags.every((t) => typeof t === 'string')) return tags;
      ctx.log.warn(`${side}: expected { "tags": ["…"] }; its tags are ignored`);
    } catch {
      // the parser's message quotes the file's text: not repeated, the file may not be what it seems
      ctx.log.warn(`${side} is not valid JSON; its tags are ignored`);
    }
    return [];
  }
  return [];
}

