/**
 * Maps a failed axios request (plain or streaming) to the LLM layer's errors: our own
 * timeout, the step being cancelled, an HTTP status with its body, or the network.
 */
import type { AxiosError } from 'axios';
import type { Mpv2Error } from 'mpv2/plugin';
import { isCancelledRequest } from 'mpv2/plugin';
import { abortedError, httpFailureError, networkError, timeoutError } from '../errors.js';
import type { ResolvedProvider } from '../types.js';
import type { Deadline } from './deadline.js';
import { readBody } from './stream.js';

export async function axiosFailure(e: unknown, provider: ResolvedProvider, model: string, dl: Deadline): Promise<Mpv2Error> {
  if (dl.timedOut()) return timeoutError(provider, e);
  if (dl.signal.aborted || isCancelledRequest(e)) return abortedError(provider);
  const err = e as AxiosError;
  if (err.response) {
    const body = await readBody(err.response.data);
    const retryAfter = err.response.headers?.['retry-after'] as string | undefined;
    return httpFailureError({ status: err.response.status, body, retryAfter }, provider, model, e);
  }
  return networkError(provider, e);
}

/** An `{ error: … }` object some servers send with status 200 or inside a stream. */
export function inlineError(obj: unknown, provider: ResolvedProvider, model: string): Mpv2Error | undefined {
  const err = (obj as { error?: unknown } | null)?.error;
  if (err === undefined || err === null) return undefined;
  const code = (err as { code?: unknown }).code ?? (err as { status?: unknown }).status;
  const status = typeof code === 'number' && code >= 400 && code < 600 ? code : 502;
  return httpFailureError({ status, body: JSON.stringify(err) }, provider, model);
}
