/**
 * Turns the loose `queries`/`count`/`seed`/`type` inputs into the list of slots to fill, once;
 * nothing downstream reads the raw inputs.
 */
import { mpv2Error } from 'mpv2/plugin';
import { hashValue } from 'mpv2/plugin';
import { sentenceQuery, splitSentences } from './relevance.js';
import { subSeed } from './random.js';
import type { FetchImagesInput, Slot } from './types.js';

export const MAX_COUNT = 100;

export interface Plan {
  slots: Slot[];
  /** The step seed (given, or derived from the queries). */
  seed: string;
}

/** The queries, and the sentence each answers when a `script` is given (one query per sentence). */
function queriesOf(input: Pick<FetchImagesInput, 'queries' | 'script'>): { list: string[]; sentences?: string[] } {
  if (input.script === undefined) {
    if (input.queries === undefined) {
      throw mpv2Error('E_INPUT_INVALID', 'expected `queries` or `script`, got neither', {
        hint: 'e.g. `queries: ["ocean at dawn", "city lights"]`, or `script: ${{ steps.script.outputs.text }}` for one query per sentence',
      });
    }
    return { list: (Array.isArray(input.queries) ? input.queries : [input.queries]).map((q) => String(q).trim()).filter((q) => q.length > 0) };
  }
  const sentences = splitSentences(input.script);
  if (sentences.length === 0) throw mpv2Error('E_INPUT_INVALID', 'expected `script` to hold at least one sentence, got none');
  if (input.queries === undefined) return { list: sentences.map((s) => sentenceQuery(s) || s), sentences };
  if (!Array.isArray(input.queries) || input.queries.length !== sentences.length) {
    const n = Array.isArray(input.queries) ? input.queries.length : 1;
    throw mpv2Error('E_INPUT_INVALID', `with \`script\`, \`queries\` must give one query per sentence: the script has ${sentences.length} sentence(s), \`queries\` has ${n}`, {
      hint: 'give one query per sentence, or leave `queries` out to take each sentence\'s keywords',
    });
  }
  return { list: input.queries.map((q, i) => String(q).trim() || sentenceQuery(sentences[i]!) || sentences[i]!), sentences };
}

export function planSlots(input: Pick<FetchImagesInput, 'queries' | 'script' | 'count' | 'seed' | 'type'>): Plan {
  const { list, sentences } = queriesOf(input);
  if (list.length === 0) {
    throw mpv2Error('E_INPUT_INVALID', 'expected `queries` to hold at least one non-empty string, got none', {
      hint: 'e.g. `queries: ["ocean at dawn", "city lights"]` or `queries: "ocean"` with `count: 4`',
    });
  }
  const count = input.count ?? (Array.isArray(input.queries) || sentences ? list.length : 1);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw mpv2Error('E_INPUT_INVALID', `expected \`count\` to be an integer from 1 to ${MAX_COUNT}, got ${JSON.stringify(input.count)}`);
  }
  const seed = input.seed === undefined ? hashValue(list).slice(0, 16) : String(input.seed);
  // grouped in query order (a, a, b, b, c): images follow the script, as the renderer shows them in order
  const slots: Slot[] = [];
  const per = Math.floor(count / list.length);
  const extra = count % list.length;
  list.forEach((query, q) => {
    const n = per + (q < extra ? 1 : 0);
    for (let k = 0; k < n; k++) {
      const i = slots.length;
      const want = input.type === 'video' ? 'video' : input.type === 'mixed' && i % 2 === 0 ? 'video' : 'photo';
      slots.push({ index: i, query, seed: subSeed(seed, i, query), want, ...(sentences && { sentence: sentences[q] }) });
    }
  });
  return { slots, seed };
}
