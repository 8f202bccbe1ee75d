/** Posting through X API v2: create a post (reply, quote, media), who am I, recent posts. */
import type { StepContext } from 'mpv2/plugin';
import type { TwitterConfig } from './config.js';
import type { ApiAuth } from './credentials.js';
import { xRequest } from './x-request.js';

export interface NewPost {
  text: string;
  mediaIds: string[];
  replyTo?: string;
  quote?: string;
}

const api = (cfg: TwitterConfig) => `${cfg.apiBaseUrl.replace(/\/+$/, '')}/2`;

export async function createPost(ctx: StepContext, cfg: TwitterConfig, auth: ApiAuth, p: NewPost): Promise<string> {
  const body: Record<string, unknown> = { text: p.text };
  if (p.mediaIds.length) body.media = { media_ids: p.mediaIds };
  if (p.replyTo) body.reply = { in_reply_to_tweet_id: p.replyTo };
  if (p.quote) body.quote_tweet_id = p.quote;
  const res = await xRequest<{ data: { id: string } }>(ctx, auth, { method: 'POST', url: `${api(cfg)}/tweets`, json: body, what: 'X create post' });
  return res.data.id;
}

export async function me(ctx: Pick<StepContext, 'http' | 'signal'>, cfg: TwitterConfig, auth: ApiAuth): Promise<{ id: string; username: string }> {
  const res = await xRequest<{ data: { id: string; username: string } }>(ctx, auth, { method: 'GET', url: `${api(cfg)}/users/me`, what: 'X users/me' });
  return res.data;
}

/** Text as X gives it back: links become t.co, `&` becomes `&amp;`; compare without either. */
export const comparable = (s: string) => s.replace(/https?:\/\/\S+/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();

/** Reconcile: the id of a recent post of the account with this text, if X shows one. */
export async function findRecentPost(ctx: StepContext, cfg: TwitterConfig, auth: ApiAuth, text: string): Promise<string | undefined> {
  const user = await me(ctx, cfg, auth);
  const res = await xRequest<{ data?: Array<{ id: string; text: string }> }>(ctx, auth, {
    method: 'GET', url: `${api(cfg)}/users/${user.id}/tweets`, query: { max_results: '20' }, what: 'X recent posts',
  });
  const want = comparable(text);
  return res.data?.find((t) => comparable(t.text) === want)?.id;
}
