/** HTTP helpers shared by the online providers: JSON requests with tries under the provider's limit, downloads. */
import { mpv2Error } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { MediaSettings } from '../settings.js';
import { withTries } from '../tries.js';
import type { Aspect, Target } from '../types.js';

export interface RemoteContext {
  ctx: StepContext;
  settings: MediaSettings;
  /** The ctx.limit name: the provider name. */
  limit: string;
}

export async function requestJson<T>(r: RemoteContext, what: string, config: { method?: 'GET' | 'POST'; url: string; headers?: Record<string, string>; params?: Record<string, unknown>; data?: unknown }): Promise<T> {
  const { ctx, settings } = r;
  return withTries(ctx, { tries: settings.tries, maxDelayMs: settings.maxRetryDelayMs, what }, () =>
    r.ctx.limit(r.limit, async () => {
      const res = await ctx.http.request<T>({ method: config.method ?? 'GET', url: config.url, headers: config.headers, params: config.params, data: config.data, signal: ctx.signal, responseType: 'json' });
      return res.data;
    }),
  );
}

/**
 * One GET of a file's bytes (collect() wraps it in tries and the limit). A 401/403 here is
 * one refused file (an expired CDN link), not a bad key: it is skipped like a 404, while the
 * same status from the API itself ends the step.
 */
export async function download(ctx: StepContext, url: string, signal: AbortSignal): Promise<Buffer> {
  try {
    const res = await ctx.http.get<ArrayBuffer>(url, { responseType: 'arraybuffer', signal, maxContentLength: 512 * 1024 * 1024 });
    return Buffer.from(res.data);
  } catch (e) {
    const err = classifyHttpError(e, 'download');
    if (err.code === 'E_AUTH') throw mpv2Error('E_HTTP', err.message, { status: err.status, cause: e });
    throw err;
  }
}

export function orientationOf(aspect: Aspect): 'portrait' | 'landscape' | 'square' {
  return aspect === '9:16' ? 'portrait' : aspect === '16:9' ? 'landscape' : 'square';
}

/** Results to ask per page: enough for the slots of the query plus replacements. */
export function perPage(need: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, need * 2 + 3));
}

/**
 * Picks the rendition of a clip for the target: same orientation first, then the smallest
 * whose short side reaches the target's short side, else the largest there is.
 */
export function pickRendition<T extends { width?: number | null; height?: number | null }>(files: T[], target: Target): T | undefined {
  const sized = files.filter((f) => (f.width ?? 0) > 0 && (f.height ?? 0) > 0) as Array<T & { width: number; height: number }>;
  if (sized.length === 0) return files[0];
  const dir = Math.sign(target.width - target.height);
  const same = sized.filter((f) => Math.sign(f.width - f.height) === dir);
  const pool = same.length > 0 ? same : sized;
  const short = Math.min(target.width, target.height);
  const area = (f: { width: number; height: number }) => f.width * f.height;
  const enough = pool.filter((f) => Math.min(f.width, f.height) >= short).sort((a, b) => area(a) - area(b));
  return enough[0] ?? pool.sort((a, b) => area(b) - area(a))[0];
}

/** Counts the slots of each query, to size the first page of results. */
export function needByQuery(slots: Array<{ query: string; want: string }>): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of slots) m.set(`${s.want}|${s.query}`, (m.get(`${s.want}|${s.query}`) ?? 0) + 1);
  return m;
}
