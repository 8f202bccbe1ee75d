/**
 * A run's artifacts for `GET /api/runs/{id}/files/{path}`: only regular files inside the run's
 * folder `.mpv2/runs/<runId>/`. `..`, absolute paths, NUL bytes and symbolic links that lead out
 * of the folder are refused (the engine's sandbox check, with the run folder as its root).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
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

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4', '.m4a': 'audio/mp4', '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.webm': 'video/webm',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif',
  '.json': 'application/json', '.txt': 'text/plain', '.md': 'text/markdown', '.srt': 'application/x-subrip',
  '.vtt': 'text/vtt', '.ass': 'text/x-ssa', '.yaml': 'application/yaml', '.yml': 'application/yaml', '.csv': 'text/csv',
  '.html': 'text/html', '.eml': 'message/rfc822', '.log': 'text/plain',
};
const TEXTUAL = new Set(['.json', '.txt', '.md', '.srt', '.vtt', '.ass', '.yaml', '.yml', '.csv', '.html', '.eml', '.log']);

export const mimeOf = (file: string): string => MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
export const isTextual = (file: string): boolean => TEXTUAL.has(extname(file).toLowerCase());

/** Text files larger than this are served as they are (a run's captions, JSON and mails are far smaller). */
const REDACT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * A text artifact with the project's secrets masked, when it holds one (a step that wrote a
 * token into its output file): undefined when the file is not text, too large, or clean — then
 * it is served as it is, with Range.
 */
export function redactedText(dir: string, file: string, size: number, redact: (s: string) => string): string | undefined {
  if (!isTextual(file) || size > REDACT_MAX_BYTES) return undefined;
  const text = readFileSync(join(dir, file), 'utf8');
  const masked = redact(text);
  return masked === text ? undefined : masked;
}
