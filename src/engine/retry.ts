/** Retries with exponential backoff and full jitter, honouring what the service asked for. */
import { isMpv2Error, mpv2Error } from '../errors.js';
import { parseDuration } from '../infra/duration.js';
import type { RetrySpec } from '../plugin/types.js';

export interface RetryPolicy {
  attempts: number;
  backoff: 'exponential' | 'fixed';
  initialMs: number;
  maxMs: number;
}

export function normalizeRetry(spec: RetrySpec | undefined, fallbackAttempts: number): RetryPolicy {
  const { attempts = fallbackAttempts, backoff = 'exponential', initial = '1s', max = '60s' } = spec ?? {};
  return { attempts, backoff, initialMs: parseDuration(initial, 'retry.initial'), maxMs: parseDuration(max, 'retry.max') };
}

/**
 * Delay before try `attempt + 1` (attempt counts from 1). Exponential with full jitter in
 * [base/2, base]; a Retry-After from the service wins when it is longer.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const base = policy.backoff === 'fixed' ? policy.initialMs : Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
  const jittered = Math.round(base / 2 + (random() * base) / 2);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, Math.max(policy.maxMs, retryAfterMs ?? 0)));
}

export function isRetryable(e: unknown): boolean {
  return isMpv2Error(e) && e.retryable;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(mpv2Error('E_ABORTED', 'aborted while waiting'));
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(mpv2Error('E_ABORTED', 'aborted while waiting')); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryHooks {
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Runs `fn(attempt)` until it succeeds, fails with a non-retryable error, or tries run out. */
export async function withRetry<T>(policy: RetryPolicy, fn: (attempt: number) => Promise<T>, hooks: RetryHooks = {}): Promise<{ value: T; attempts: number }> {
  const sleep = hooks.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (e) {
      if (attempt >= policy.attempts || !isRetryable(e) || hooks.signal?.aborted) {
        if (isMpv2Error(e)) e.details = { ...e.details, attempts: attempt };
        throw e;
      }
      const delayMs = retryDelay(policy, attempt, isMpv2Error(e) ? e.retryAfterMs : undefined, hooks.random);
      hooks.onRetry?.({ attempt, delayMs, error: e });
      await sleep(delayMs, hooks.signal);
    }
  }
}
