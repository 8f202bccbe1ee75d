/**
 * `media.library`: the user's own images and clips, searched before any provider. A file is
 * described by its name (and its folders under the library) and by a sidecar of tags:
 * `photo.jpg.tags` (tags separated by commas or lines), or `photo.jpg.json` / `photo.json`
 * holding `{ "tags": ["…"] }`.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { isMpv2Error, mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { findFiles, isClip, isImage, localCandidate } from './providers/local.js';
import type { Candidate } from './types.js';

const readText = (f: string): Promise<string | undefined> => readFile(f, 'utf8').catch(() => undefined);

/** The tags of a file's sidecar, or [] (a sidecar that is not valid is a warning, not a failure). */
async function sidecarTags(ctx: Pick<StepContext, 'resolvePath' | 'log'>, file: string): Promise<string[]> {
  const plain = await readText(`${file}.tags`);
  if (plain !== undefined) return plain.split(/[,\n]/).map((t) => t.trim()).filter(Boolean);
  for (const side of [`${file}.json`, join(dirname(file), `${basename(file, extname(file))}.json`)]) {
    const text = await readText(side);
    if (text === undefined) continue;
    try {
      const tags = (JSON.parse(text) as { tags?: unknown }).tags;
      if (Array.isArray(tags) && tags.every((t) => typeof t === 'string')) return tags;
      ctx.log.warn(`${side}: expected { "tags": ["…"] }; its tags are ignored`);
    } catch (e) {
      ctx.log.warn(`${side} is not valid JSON (${(e as Error).message}); its tags are ignored`);
    }
    return [];
  }
  return [];
}

/** Every image and clip of the library, described by its name, folders and sidecar tags; sorted by path. */
export async function loadLibrary(ctx: StepContext, path: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const listed = await findFiles(ctx, path).catch((e: unknown) => {
    // findFiles names the `path` input; the library comes from `library` or media.library
    if (isMpv2Error(e) && e.code === 'E_INPUT_INVALID') {
      throw mpv2Error('E_INPUT_INVALID', `the media library "${path}" (\`library\` or media.library) does not exist`, { hint: 'create the folder, or remove the setting' });
    }
    throw e;
  });
  const files = listed.filter((f) => isImage(f) || isClip(f)).sort();
  for (const f of files) {
    let abs: string;
    try {
      abs = ctx.resolvePath(f); // a symlink inside the folder may lead out of the project
    } catch (e) {
      ctx.log.warn(`skipped library file ${f}: ${(e as Error).message}`);
      continue;
    }
    const name = relative(ctx.root, abs).replace(extname(abs), '');
    out.push(localCandidate(ctx, abs, false, `${name} ${(await sidecarTags(ctx, abs)).join(' ')}`));
  }
  return out;
}
