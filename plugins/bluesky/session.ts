/**
 * An app-password session on the account's PDS through the official client (@atproto/api). The
 * client refreshes the session itself when the PDS answers ExpiredToken (refreshSession, the
 * refresh JWT rotates) — for requests whose body is not a stream. Its requests follow the step's
 * abort signal. XRPC failures become errors that say whether the request surely did nothing.
 */
import type { AtpAgent } from '@atproto/api';
import { mpv2Error, pluginError, type Mpv2Error, type StepContext } from 'mpv2/plugin';
import { trim, type BlueskyConfig } from './config.js';

export interface Session {
  agent: AtpAgent;
  account: string;
  did: string;
  handle: string;
  /** The audience of service-auth tokens for uploads: the PDS's did:web. */
  pdsDid: string;
}

export const passwordHint = (account: string) =>
  `create an app password (Bluesky → Settings → Privacy and security → App passwords) and store it: \`mpv2 accounts add bluesky --name ${account} --update --secret appPassword=…\``;

interface XrpcLike { status?: number; error?: string; message?: string; headers?: Record<string, string> }

/** An XRPC failure → an Mpv2Error; 4xx refusals (not 408/429) prove nothing was done. */
export function xrpcError(e: unknown, what: string, account: string): Mpv2Error {
  if (e instanceof Error && e.name === 'AbortError') return mpv2Error('E_ABORTED', `${what}: interrupted`, { cause: e });
  const x = e as XrpcLike;
  const status = typeof x.status === 'number' ? x.status : 0;
  const says = `${what}: Bluesky says ${x.error ?? status}${x.message && x.message !== x.error ? ` (${x.message})` : ''}`;
  if (status === 401 || x.error === 'AuthenticationRequired' || x.error === 'AuthFactorTokenRequired' || x.error === 'InvalidToken' || x.error === 'ExpiredToken' || x.error === 'AccountTakedown') {
    return pluginError('bluesky/AUTH', `${says} for account "${account}"`, { status, cause: e, notDone: true, hint: passwordHint(account) });
  }
  if (status === 429) {
    const reset = Number(x.headers?.['ratelimit-reset']);
    return mpv2Error('E_RATE_LIMITED', says, { status, cause: e, notDone: true, retryable: true, retryAfterMs: Number.isFinite(reset) ? Math.max(1000, reset * 1000 - Date.now()) : 60_000 });
  }
  if (status >= 400 && status < 500 && status !== 408) return pluginError('bluesky/API', says, { status, cause: e, notDone: true, details: { xrpcError: x.error } });
  return mpv2Error('E_HTTP', says, { status: status || undefined, cause: e, retryable: true });
}

/** The did:web of a service URL (a port is written %3A, as did:web requires). */
export function didWeb(url: URL): string {
  return `did:web:${encodeURIComponent(url.host)}`;
}

export async function openSession(ctx: StepContext, cfg: BlueskyConfig, account: string, handle: string): Promise<Session> {
  return loginSession(ctx, (await ctx.accounts.credentials(account)).appPassword, cfg, account, handle);
}

/** A session from the app password itself (`mpv2 accounts check` has the credentials, not a step). */
export async function loginSession(ctx: { signal: AbortSignal; addSecret(value: string): void }, appPassword: string | undefined, cfg: BlueskyConfig, account: string, handle: string): Promise<Session> {
  const { signal } = ctx;
  if (!appPassword) throw mpv2Error('E_MISSING_KEY', `bluesky account "${account}" has no app password`, { hint: passwordHint(account) });
  // imported here: the client takes about a second to load, and only a run that posts needs it
  const { AtpAgent: Agent } = await import('@atproto/api');
  const agent = new Agent({
    service: trim(cfg.service),
    // the session's JWTs, first and rotated, are masked wherever they could show up
    persistSession: (_event, session) => { if (session) for (const jwt of [session.accessJwt, session.refreshJwt]) ctx.addSecret(jwt); },
    // every request of the client ends with the step (Ctrl-C, timeout)
    fetch: (input, init) => globalThis.fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
  });
  try {
    await agent.login({ identifier: handle, password: appPassword });
  } catch (e) {
    throw xrpcError(e, 'createSession', account);
  }
  const s = agent.session!;
  return { agent, account, did: s.did, handle: s.handle, pdsDid: didWeb(agent.pdsUrl ?? agent.serviceUrl) };
}
