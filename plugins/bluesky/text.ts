/**
 * Post text: Bluesky's limits (300 graphemes, 3000 UTF-8 bytes) and rich-text facets for links,
 * mentions and hashtags with UTF-8 byte offsets, as app.bsky.richtext.facet requires. Detection
 * is @atproto/api's (the official client's rules); mentions are resolved to DIDs by the caller,
 * and a mention whose handle does not resolve is left as plain text (never a facet without a DID).
 */
import { pluginError } from 'mpv2/plugin';

// the client takes about a second to import: only a run that posts pays for it, not `mpv2 doctor`
const richText = async () => (await import('@atproto/api')).RichText;

export const MAX_GRAPHEMES = 300;
export const MAX_TEXT_BYTES = 3000;

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: Array<{ $type: string; uri?: string; did?: string; tag?: string }>;
}

export async function graphemes(text: string): Promise<number> {
  return new (await richText())({ text }).graphemeLength;
}

/** Throws bluesky/INPUT naming the field when the text is too long. */
export async function checkText(text: string, field = 'text'): Promise<void> {
  const n = await graphemes(text);
  if (n > MAX_GRAPHEMES) throw pluginError('bluesky/INPUT', `with.${field} is ${n} graphemes long; a Bluesky post holds at most ${MAX_GRAPHEMES}`, { hint: 'shorten the text (an emoji or a flag counts as one grapheme)', details: { field } });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEXT_BYTES) throw pluginError('bluesky/INPUT', `with.${field} is ${bytes} UTF-8 bytes; a post holds at most ${MAX_TEXT_BYTES}`, { hint: 'shorten the text', details: { field } });
}

/** Links, hashtags and mentions (with the handle in place of the DID), sorted by byte offset. */
export async function detectFacets(text: string): Promise<Facet[]> {
  const rt = new (await richText())({ text });
  rt.detectFacetsWithoutResolution();
  return (rt.facets ?? []) as Facet[];
}

/** Mentions resolved through `resolve` (handle → DID or undefined); unresolved ones are dropped. */
export async function resolveMentions(facets: Facet[], resolve: (handle: string) => Promise<string | undefined>): Promise<{ facets: Facet[]; unresolved: string[] }> {
  const out: Facet[] = [];
  const unresolved: string[] = [];
  for (const f of facets) {
    const mention = f.features.find((x) => x.$type === 'app.bsky.richtext.facet#mention');
    if (!mention) { out.push(f); continue; }
    const handle = mention.did!;
    const did = await resolve(handle);
    if (did) out.push({ ...f, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] });
    else unresolved.push(handle);
  }
  return { facets: out, unresolved };
}
