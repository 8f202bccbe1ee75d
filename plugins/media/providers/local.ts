/**
 * `provider: local`: images (and, for `type: video|mixed`, clips) from a folder or a glob inside
 * the project. Each slot gets the best keyword match in the file names, else a seeded-random
 * file, planned up front so the same seed always gives the same assignment.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, relative } from 'node:path';
import { mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { globBase, hasMagic, listFiles } from '../glob.js';
import { matchScore, tokens } from '../match.js';
import { createRng } from '../random.js';
import { sidecarTags } from '../sidecar.js';
import { listStream } from '../streams.js';
import type { Candidate, Provider, Slot } from '../types.js';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.jfif', '.png', '.webp', '.avif', '.gif', '.tif', '.tiff', '.heic', '.heif']);
const VIDEO_EXT = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv']);

export async function findFiles(ctx: StepContext, path: string): Promise<string[]> {
  if (hasMagic(path)) {
    const base = globBase(path);
    const absBase = ctx.resolvePath(base);
    const rel = base === '.' ? path : path.slice(base.length).replace(/^[\\/]+/, '');
    const st = await stat(absBase).catch(() => undefined);
    if (!st?.isDirectory()) throw mpv2Error('E_INPUT_INVALID', `\`path\` "${path}": the folder ${base} does not exist`);
    return listFiles(absBase, rel);
  }
  const abs = ctx.resolvePath(path);
  const st = await stat(abs).catch(() => undefined);
  if (!st) throw mpv2Error('E_INPUT_INVALID', `\`path\` "${path}" does not exist`, { hint: 'give a folder of images or a glob such as `assets/images/*.jpg`' });
  return st.isDirectory() ? listFiles(abs) : [abs];
}

/** A file inside the project as a candidate: read when its turn comes, a clip copied as a stream. */
export function localCandidate(ctx: Pick<StepContext, 'root'>, file: string, reuse = false, describedBy?: string): Candidate {
  const rel = relative(ctx.root, file);
  const video = isClip(file);
  return {
    key: `local:${rel}`,
    kind: video ? 'video' : 'image',
    ...(video && { localFile: file }),
    source: 'local',
    id: rel,
    author: '',
    url: rel,
    license: 'local file',
    ...(reuse && { reuse }),
    ...(describedBy !== undefined && { describedBy }),
    load: () => readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw mpv2Error('E_FILE', `local file ${rel} cannot be read: ${e.code ?? e.message}`, { cause: e });
    }),
  };
}

export const isImage = (f: string): boolean => IMAGE_EXT.has(extname(f).toLowerCase());
export const isClip = (f: string): boolean => VIDEO_EXT.has(extname(f).toLowerCase());

export async function localProvider(ctx: StepContext, path: string | undefined, slots: Slot[]): Promise<Provider> {
  if (!path) {
    throw mpv2Error('E_INPUT_INVALID', 'provider "local" needs `path`: a folder or a glob of images', { hint: 'e.g. `path: assets/images` or `path: "photos/**/*.jpg"`' });
  }
  const files: string[] = [];
  // only media files are checked: a listing of the project root names package.json and .env too
  for (const f of (await findFiles(ctx, path)).filter((x) => IMAGE_EXT.has(extname(x).toLowerCase()) || VIDEO_EXT.has(extname(x).toLowerCase()))) {
    try {
      files.push(ctx.resolvePath(f)); // a symlink inside the folder may still lead out of the project, or to a reserved file
    } catch (e) {
      ctx.log.warn(`skipped ${f}: ${(e as Error).message}`);
    }
  }
  // sidecar tags count as words of the file name, as in the library
  const tagsOf = new Map<string, string>();
  for (const f of files) tagsOf.set(f, (await sidecarTags(ctx, f)).join(' '));
  const byKind = {
    photo: files.filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())),
    video: files.filter((f) => VIDEO_EXT.has(extname(f).toLowerCase())),
  };
  const wanted = new Set(slots.map((s) => s.want));
  if ([...wanted].every((k) => byKind[k].length === 0)) {
    const what = wanted.has('video') && wanted.size === 1 ? 'clips (mp4, mov, webm, mkv)' : 'images (jpg, png, webp, avif, gif, tiff, heic)';
    throw mpv2Error('E_INPUT_INVALID', `\`path\` "${path}" holds no ${what}`, { hint: 'add files to it, or use provider: generate' });
  }

  const candidate = (file: string, reuse = false): Candidate => localCandidate(ctx, file, reuse);

  // ranked files for a query: best keyword match first, ties in the slot's seeded order
  const rankCache = new Map<string, string[]>();
  const rank = (slot: Slot): string[] => {
    const k = `${slot.seed}|${slot.want}`;
    const hit = rankCache.get(k);
    if (hit) return hit;
    const pool = byKind[slot.want].length > 0 ? byKind[slot.want] : byKind[slot.want === 'video' ? 'photo' : 'video'];
    const q = tokens(slot.query);
    const scored = createRng(`local:${slot.seed}`).shuffle(pool).map((f) => ({ f, s: matchScore(q, tokens(`${relative(ctx.root, f).replace(extname(f), '')} ${tagsOf.get(f) ?? ''}`)) }));
    const order = scored.sort((a, b) => b.s - a.s).map((x) => x.f); // stable: ties keep the seeded order
    rankCache.set(k, order);
    return order;
  };

  // plan the first choice of every slot in slot order, so parallel filling stays deterministic
  const primary = new Map<string, string>();
  const claimed = new Set<string>();
  let short = 0;
  for (const slot of slots) {
    const f = rank(slot).find((x) => !claimed.has(x));
    if (f) {
      claimed.add(f);
      primary.set(`${slot.index}|${slot.want}`, f);
    } else short++;
  }
  if (short > 0) ctx.log.warn(`"${path}" has fewer usable files than the ${slots.length} asked for: ${short} will be shown twice`);

  return {
    open(slot) {
      const order = rank(slot);
      const first = primary.get(`${slot.index}|${slot.want}`);
      const rest = order.filter((f) => !claimed.has(f));
      // the last resort is to show a file twice (the best match first) rather than leave a hole
      const list = [...(first ? [candidate(first)] : []), ...rest.map((f) => candidate(f)), ...order.map((f) => candidate(f, true))];
      return listStream(list);
    },
  };
}
