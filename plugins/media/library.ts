/**
 * `media.library`: the user's own images and clips, searched before any provider. A file is
 * described by its path (folder and file name words) and by its sidecar tags (sidecar.ts).
 */
import { extname, relative } from 'node:path';
import { isMpv2Error, mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { findFiles, isClip, isImage, localCandidate } from './providers/local.js';
import { sidecarTags } from './sidecar.js';
import type { Candidate } from './types.js';

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
