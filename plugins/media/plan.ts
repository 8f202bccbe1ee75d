/**
 * Turns the loose `queries`/`count`/`seed`/`type` inputs into the list of slots to fill, once;
 * nothing downstream reads the raw inputs.
 */
import { mpv2Error } from 'mpv2/plugin';
import { hashValue } from 'mpv2/plugin';
import { subSeed } from './random.js';
import type { FetchImagesInput, Slot } from './types.js';

export const MAX_COUNT = 100;

export interface Plan {
  slots: Slot[];
  /** The step seed (given, or derived from the queries). */
  seed: string;
}

export function planSlots(input: Pick<FetchImagesInput, 'queries' | 'count' | 'seed' | 'type'>): Plan {
  const list = (Array.isArray(input.queries) ? input.queries : [input.queries]).map((q) => String(q).trim()).filter((q) => q.length > 0);
  if (list.length === 0) {
    throw mpv2Error('E_INPUT_INVALID', 'expected `queries` to hold at least one non-empty string, got none', {
      hint: 'e.g. `queries: ["ocean at dawn", "city lights"]` or `queries: "ocean"` with `count: 4`',
    });
  }
  const count = input.count ?? (Array.isArray(input.queries) ? list.length : 1);
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
      slots.push({ index: i, query, seed: subSeed(seed, i, query), want });
    }
  });
  return { slots, seed };
}
