/**
 * A pitch per product and platform through the LLM layer: a structured answer {hook, body,
 * hashtags} sized for the platform, assembled with the affiliate link and the disclosure,
 * then fitted (hashtags dropped, body cut at a sentence, then a word) so it always fits.
 */
import type { JSONSchema, StepContext } from 'mpv2/plugin';
import type { ProductFacts } from './parse.js';
import type { Platform } from './platforms.js';

export interface PitchDraft { hook: string; body: string; hashtags: string[] }
export interface PitchOptions { tone: string; language: string; notes?: string; disclosure: string; provider?: string | string[]; model?: string; limit?: string }

const HOOK_MAX = 90;

export function budget(p: Platform, disclosure: string): { hook: number; body: number; hashtags: number } {
  const fixed = p.linkLength + p.measure(disclosure) + 8; // link, disclosure, line breaks and spaces
  const tags = p.maxHashtags * 16;
  return { hook: HOOK_MAX, body: Math.max(40, p.maxLength - fixed - tags - HOOK_MAX), hashtags: p.maxHashtags };
}

export function pitchSchema(p: Platform, disclosure: string): JSONSchema {
  const b = budget(p, disclosure);
  return {
    type: 'object',
    required: ['hook', 'body', 'hashtags'],
    additionalProperties: false,
    properties: {
      hook: { type: 'string', minLength: 1, maxLength: b.hook, description: 'One punchy opening line' },
      body: { type: 'string', maxLength: b.body, description: 'Why it is worth it, from the facts given' },
      hashtags: { type: 'array', maxItems: b.hashtags, items: { type: 'string', pattern: '^#?[^\\s#]{1,30}$' }, description: 'Hashtags without spaces' },
    },
  };
}

function factsText(f: ProductFacts, notes?: string): string {
  const lines = [`Product: ${f.title}`];
  if (f.brand) lines.push(`Brand: ${f.brand}`);
  if (f.price) lines.push(`Price: ${f.price}${f.currency ? ` ${f.currency}` : ''}`);
  if (f.bullets.length) lines.push('Features:', ...f.bullets.slice(0, 6).map((b) => `- ${b.slice(0, 240)}`));
  if (f.description) lines.push(`Description: ${f.description.slice(0, 600)}`);
  if (notes) lines.push(`Notes from the marketer: ${notes}`);
  return lines.join('\n');
}

export async function draftPitch(ctx: StepContext, facts: ProductFacts, platform: Platform, o: PitchOptions): Promise<PitchDraft> {
  const b = budget(platform, o.disclosure);
  // the llm namespace's service: its keys and provider config stay with it (uses: ['llm'])
  const res: { data?: unknown } = await ctx.services.llm.complete({
    messages: [
      { role: 'system', content: `You write short affiliate posts for ${platform.name}. Tone: ${o.tone}. Write in ${o.language}. Use only the facts given: never invent features, prices, discounts or urgency. No links and no emoji spam; the link is added after your text.` },
      { role: 'user', content: `${factsText(facts, o.notes)}\n\nWrite a hook of at most ${b.hook} characters, a body of at most ${b.body} characters, and up to ${b.hashtags} relevant hashtags.` },
    ],
    schema: pitchSchema(platform, o.disclosure),
    provider: o.provider, model: o.model, limit: o.limit, stream: false,
  });
  const d = res.data as PitchDraft;
  return { hook: d.hook.trim(), body: d.body.trim(), hashtags: d.hashtags.map((h) => h.replace(/^#/, '').trim()).filter(Boolean) };
}

const assemble = (hook: string, body: string, tags: string[], disclosure: string, link: string) =>
  [hook, body, [...tags.map((t) => `#${t}`), disclosure].filter(Boolean).join(' '), link].filter((s) => s !== '').join('\n\n');

/** Shortens `s` to whole sentences, else whole words + '…', so `fits(s)` holds; '' when nothing fits. */
function shorten(s: string, fits: (t: string) => boolean): string {
  const sentences = s.match(/[^.!?]+[.!?]+["')\]]*\s*|[^.!?]+$/g) ?? [s];
  for (let n = sentences.length - 1; n >= 1; n--) { const t = sentences.slice(0, n).join('').trim(); if (fits(t)) return t; }
  const words = s.split(/\s+/);
  for (let n = words.length - 1; n >= 1; n--) { const t = `${words.slice(0, n).join(' ').replace(/[,;:–-]$/, '')}…`; if (fits(t)) return t; }
  return '';
}

/** The post text: always within the platform length, the link and the disclosure whole. */
export function fitPitch(d: PitchDraft, link: string, disclosure: string, p: Platform): { text: string; hashtags: string[] } {
  const ok = (t: string) => p.measure(t) <= p.maxLength;
  const tags = d.hashtags.map((h) => h.replace(/^#+/, '').trim()).filter(Boolean).slice(0, p.maxHashtags);
  let body = d.body;
  let hook = d.hook;
  while (tags.length && !ok(assemble(hook, body, tags, disclosure, link))) tags.pop();
  if (!ok(assemble(hook, body, tags, disclosure, link))) body = shorten(body, (b) => ok(assemble(hook, b, tags, disclosure, link)));
  if (!ok(assemble(hook, body, tags, disclosure, link))) hook = shorten(hook, (h) => ok(assemble(h, body, tags, disclosure, link)));
  return { text: assemble(hook, body, tags, disclosure, link), hashtags: tags };
}
