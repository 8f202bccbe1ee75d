/** "did you mean" for unknown names, in the backtick style of expression messages. */
import { closest } from '../../infra/suggest.js';

/** `` (did you mean `x`?)`` or nothing. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const n = closest(name, candidates);
  return n ? ` (did you mean \`${n}\`?)` : '';
}
