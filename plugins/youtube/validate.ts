/**
 * YouTube's metadata limits, checked before any network call so a bad title fails in a
 * second instead of after a 200 MB upload. Each error names the field and the limit.
 */
import { mpv2Error } from 'mpv2/plugin';

export const LIMITS = {
  titleChars: 100,
  descriptionBytes: 5000,
  tagsChars: 500,
  thumbnailBytes: 2 * 1024 * 1024,
} as const;

const invalid = (field: string, message: string, hint?: string) =>
  mpv2Error('E_PLUGIN_INPUT_INVALID', `with.${field} ${message}`, { hint: hint ?? 'YouTube rejects it; `mpv2 schema plugin youtube.upload` lists the inputs', details: { field } });

const ANGLE = /[<>]/;

export function checkTitle(title: string): string {
  const t = title.trim();
  if (!t) throw invalid('title', 'is empty');
  const n = [...t].length;
  if (n > LIMITS.titleChars) throw invalid('title', `is ${n} characters long; YouTube allows at most ${LIMITS.titleChars}`, 'shorten it, e.g. `${{ truncate(steps.script.outputs.data.title, 100) }}`');
  if (ANGLE.test(t)) throw invalid('title', 'contains "<" or ">", which YouTube does not allow');
  return t;
}

export function checkDescription(description: string): string {
  const bytes = Buffer.byteLength(description, 'utf8');
  if (bytes > LIMITS.descriptionBytes) throw invalid('description', `is ${bytes} bytes (UTF-8); YouTube allows at most ${LIMITS.descriptionBytes}`);
  if (ANGLE.test(description)) throw invalid('description', 'contains "<" or ">", which YouTube does not allow');
  return description;
}

/** YouTube's count: tag lengths + the commas between them + 2 quotes for each tag with a space. */
export function tagsLength(tags: string[]): number {
  if (tags.length === 0) return 0;
  return tags.reduce((n, t) => n + [...t].length + (/\s/.test(t) ? 2 : 0), 0) + (tags.length - 1);
}

export function checkTags(tags: string[]): string[] {
  const clean = [...new Set(tags.map((t) => t.trim().replace(/^#/, '')).filter(Boolean))];
  for (const t of clean) {
    if (ANGLE.test(t) || t.includes(',')) throw invalid('tags', `has a tag with "<", ">" or "," in it: ${JSON.stringify(t)}`);
  }
  const n = tagsLength(clean);
  if (n > LIMITS.tagsChars) throw invalid('tags', `total ${n} characters (commas and quotes around tags with spaces included); YouTube allows at most ${LIMITS.tagsChars}`, 'drop some tags or shorten them');
  return clean;
}

/** `publishAt` → ISO instant; only with private, and in the future. */
export function checkPublishAt(publishAt: string | undefined, visibility: string, now = Date.now()): string | undefined {
  if (publishAt === undefined || publishAt === '') return undefined;
  const t = Date.parse(publishAt);
  if (Number.isNaN(t)) throw invalid('publishAt', `is not a date and time: ${JSON.stringify(publishAt)}`, 'use ISO 8601 with a zone, e.g. 2030-01-31T18:00:00Z');
  if (visibility !== 'private') throw invalid('publishAt', `needs visibility: private (got ${visibility}); YouTube keeps the video private and makes it public at that time`);
  if (t <= now + 60_000) throw invalid('publishAt', `is not in the future: ${new Date(t).toISOString()}`);
  return new Date(t).toISOString();
}

export function checkExtension(field: string, file: string, allowed: string[]): void {
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  if (!allowed.includes(ext)) throw invalid(field, `must be a ${allowed.map((a) => `.${a}`).join(' or ')} file (got ${JSON.stringify(file)})`);
}

export function checkThumbnailSize(bytes: number): void {
  if (bytes > LIMITS.thumbnailBytes) throw invalid('thumbnail', `is ${(bytes / 1048576).toFixed(1)} MB; YouTube allows at most 2 MB`);
}

/** The content-hash tag that lets reconciliation recognise our upload, if the tag budget has room. */
export function hashTagFor(tags: string[], videoHash: string): string | undefined {
  const tag = `mpv2-${videoHash.slice(0, 12)}`;
  return tagsLength([...tags, tag]) <= LIMITS.tagsChars ? tag : undefined;
}
