/** Doctor: the shared queue. Without `queue.url` the worker is local; with it, Redis must answer. */
import type { Mpv2Config } from '../../config/types.js';
import { isMpv2Error } from '../../errors.js';
import { error, ok, type DoctorCheck } from './doctor-types.js';

export async function queueCheck(config: Mpv2Config | undefined): Promise<DoctorCheck> {
  const url = config?.queue.url;
  if (!url) return ok('queue', 'local: `mpv2 worker` serves this project from .mpv2/state.db (set queue.url or REDIS_URL to share a Redis queue)');
  const { pingRedis, safeUrl } = await import('../../queue/redis/connection.js');
  try {
    const r = await pingRedis(url, 3000);
    return ok('queue', `Redis ${r.version} at ${safeUrl(url)} answered in ${r.ms} ms`);
  } catch (e) {
    return error('queue', isMpv2Error(e) ? e.message : String(e), isMpv2Error(e) ? e.hint : undefined);
  }
}
