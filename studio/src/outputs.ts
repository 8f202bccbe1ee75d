/**
 * Which run outputs are files of the run (served by /api/runs/{id}/files/...), and what kind of
 * thing each is, so the run view shows a video in a player, images as images and text as text.
 */

export type OutputKind = 'video' | 'image' | 'captions-srt' | 'captions-vtt' | 'audio' | 'text-file' | 'file';

/**
 * A path's part under the run's folder (`.mpv2/runs/<runId>/`), or undefined for a value that is
 * not a file of this run. The API may give paths absolute or relative to the project root.
 */
export function runRelative(value: unknown, runId: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.replace(/\\/g, '/');
  const marker = `.mpv2/runs/${runId}/`;
  const at = v.indexOf(marker);
  if (at < 0) return undefined;
  const rel = v.slice(at + marker.length);
  return rel && !rel.split('/').includes('..') ? rel : undefined;
}

export function kindOf(path: string): OutputKind {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  if (['mp4', 'webm', 'mov', 'm4v'].includes(ext)) return 'video';
  if (['png', 'jpg', 'jpeg', 'webp', 'gif'].includes(ext)) return 'image';
  if (['mp3', 'wav', 'm4a', 'ogg', 'aac', 'opus'].includes(ext)) return 'audio';
  if (ext === 'srt') return 'captions-srt';
  if (ext === 'vtt') return 'captions-vtt';
  if (['txt', 'md', 'json', 'yaml', 'yml', 'csv', 'html', 'ass'].includes(ext)) return 'text-file';
  return 'file';
}

export interface ShownOutput { name: string; value: unknown; path?: string; kind?: OutputKind }

/** The pipeline's outputs, with every file of the run found in them (also inside lists and objects). */
export function shownOutputs(outputs: Record<string, unknown> | undefined, runId: string): ShownOutput[] {
  const out: ShownOutput[] = [];
  const walk = (name: string, v: unknown): void => {
    const rel = runRelative(v, runId);
    if (rel) { out.push({ name, value: v, path: rel, kind: kindOf(rel) }); return; }
    if (Array.isArray(v) && v.some((x) => runRelative(x, runId))) { v.forEach((x, i) => walk(`${name}[${i}]`, x)); return; }
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).some((x) => runRelative(x, runId))) {
      for (const [k, x] of Object.entries(v)) walk(`${name}.${k}`, x);
      return;
    }
    out.push({ name, value: v });
  };
  for (const [k, v] of Object.entries(outputs ?? {})) walk(k, v);
  return out;
}
