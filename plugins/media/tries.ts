/**
 * Up to `tries` attempts of one request or download, for failures that say a retry can help.
 * This plugin retries by itself (the engine retries whole steps) because one step fetches many
 * images, and one flaky image must not make the step start over.
 */
import type { StepContext } from 'mpv2/plugin';
import { isMpv2Error, mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';

export interface TryOptions {
  tries: number;
  maxDelayMs: number;
  /** Names the request in messages, e.g. `pexels search "ocean"`. */
  what: string;
}

export function asMpv2Error(e: unknown, what: string): Mpv2Error {
  if (isMpv2Error(e)) return e;
  return classifyHttpError(e, what);
}

export async function withTries<T>(ctx: Pick<StepContext, 'signal' | 'log'>, opts: TryOptions, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const err = asMpv2Error(e, opts.what);
      if (!err.retryable || attempt >= opts.tries || ctx.signal.aborted) throw err;
      const delayMs = Math.min(opts.maxDelayMs, err.retryAfterMs ?? 500 * 2 ** (attempt - 1));
      ctx.log.debug(`${opts.what} failed (${err.message}); try ${attempt + 1} of ${opts.tries} in ${delayMs} ms`);
      await sleep(delayMs, ctx.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(mpv2Error('E_ABORTED', 'the step was aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(mpv2Error('E_ABORTED', 'the step was aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
