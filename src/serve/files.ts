/**
 * A run's artifacts for `GET /api/runs/{id}/files/{path}`: only regular files inside the run's
 * folder `.mpv2/runs/<runId>/`. `..`, absolute paths, NUL bytes and symbolic links that lead out
 * of the folder are refused (the engine's sandbox check, with the run folder as its root).
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { mpv2Error } from '../errors.js';
import { resolveInside } from '../infra/paths.js';

/** The file's path relative to the (real) run folder and that folder, or E_PATH_OUTSIDE_ROOT / E_NOT_FOUND. */
export function runFile(runsDir: string, runId: string, rel: string): { dir: string; file: string; size: number } {
  const parts = rel.split(/[/\\]/);
  if (rel === '' || rel.includes('\0') || isAbsolute(rel) || parts.includes('..')) {
    throw mpv2Error('E_PATH_OUTSIDE_ROOT', `"${rel}" is not a path inside run ${runId}'s folder`, { hint: 'name a file relative to the run folder, e.g. render/video.mp4' });
  }
  let dir: string;
  try { dir = realpathSync(join(runsDir, runId)); } catch { throw notFound(runId, rel); }
  // follows symbolic links and refuses one that leads out of the run folder
  const abs = resolveInside({ root: dir, allow: [] }, dir, rel, 'path');
  let real: string;
  try { real = realpathSync(abs); } catch { throw notFound(runId, rel); }
  const inside = relative(dir, real);
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) throw mpv2Error('E_PATH_OUTSIDE_ROOT', `"${rel}" leads out of run ${runId}'s folder`);
  const st = statSync(real);
  if (!st.isFile()) throw notFound(runId, rel);
  return { dir, file: inside, size: st.size };
}

const notFound = (runId: string, rel: string) => mpv2Error('E_NOT_FOUND', `run ${runId} has no file ${rel}`, { hint: `GET /api/runs/${runId} names the files its steps wrote in their outputs` });
