/**
 * B-roll relevance: the content words of a sentence (stop words out, stemming-light) against
 * the words a candidate is described by (Pexels `alt`, Pixabay `tags`, the page URL's slug, a
 * library file's name and sidecar tags). Plain word overlap, so the same inputs always give the
 * same score and the same choice.
 */
const STOP = new Set((
  'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its just me more most my no nor not now of off on once only or other our out over own same she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your '
  + 'photo photos image images picture stock free video videos clip footage pexels pixabay www com https http jpg jpeg png'
).split(/\s+/).filter(Boolean));

/** `Running`, `runs` and `run` all give `run`; `cities` gives `city`. Light on purpose: no dictionary. */
export function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith('ing')) return undouble(w.slice(0, -3));
  if (w.length > 4 && w.endsWith('ed')) return undouble(w.slice(0, -2));
  if (w.length > 4 && /(ches|shes|sses|xes)$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}
const undouble = (w: string): string => (/([b-df-hj-np-tv-z])\1$/.test(w) ? w.slice(0, -1) : w);

/** The distinct content words of a text, stemmed, in their first order; digits-only words dropped. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || STOP.has(raw) || /^\p{N}+$/u.test(raw)) continue;
    const w = stem(raw);
    if (!out.includes(w)) out.push(w);
  }
  return out;
}

/** The words of a page URL's last path segment: `/photo/brown-rocks-at-dawn-2014422/` → brown rocks dawn. */
export function slugWords(url: string | undefined): string {
  if (!url) return '';
  try {
    const segs = new URL(url).pathname.split('/').filter(Boolean);
    return (segs[segs.length - 1] ?? '').replace(/[-_]+/g, ' ');
  } catch {
    return '';
  }
}

/** How many content words of a sentence make a full match: a photo shows two or three things, not a whole sentence. */
const FULL = 3;

/** 0..1: the share of the sentence's content words (up to FULL of them) the candidate's words contain. */
export function relevance(sentenceWords: readonly string[], candidateWords: readonly string[]): number {
  if (sentenceWords.length === 0) return 0;
  const have = new Set(candidateWords);
  const hits = sentenceWords.filter((w) => have.has(w)).length;
  return Math.round(Math.min(1, hits / Math.min(FULL, sentenceWords.length)) * 100) / 100;
}

/** The query for a sentence: its (up to) three longest content words, kept in sentence order. */
export function sentenceQuery(sentence: string): string {
  const words = sentence.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2 && !STOP.has(w) && !/^\p{N}+$/u.test(w));
  const distinct = words.filter((w, i) => words.indexOf(w) === i);
  const keep = new Set([...distinct].sort((a, b) => b.length - a.length || distinct.indexOf(a) - distinct.indexOf(b)).slice(0, FULL));
  return distinct.filter((w) => keep.has(w)).join(' ');
}

/** Broader queries for a re-query: the query's two longest words, then its longest. */
export function broaderQueries(query: string): string[] {
  const words = query.split(/\s+/).filter(Boolean);
  const byLength = [...words].sort((a, b) => b.length - a.length || words.indexOf(a) - words.indexOf(b));
  const out: string[] = [];
  for (const n of [2, 1]) {
    if (words.length <= n) continue;
    const keep = new Set(byLength.slice(0, n));
    const q = words.filter((w) => keep.has(w)).join(' ');
    if (!out.includes(q)) out.push(q);
  }
  return out;
}

/** A script split into sentences (at . ! ? … and their CJK forms, and at blank lines). */
export function splitSentences(script: string): string[] {
  return script
    .split(/(?<=[.!?…。！？])\s+|\n\s*\n/u)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}
