/** Small helpers to build candidate streams. */
import type { Candidate, CandidateStream } from './types.js';

/** A stream over a fixed list. */
export function listStream(items: readonly Candidate[]): CandidateStream {
  let i = 0;
  return { next: async () => items[i++] };
}

/**
 * A stream fed page by page: `fetchPage(n)` returns the candidates of page `n` (1-based), or an
 * empty list when there are no more. Calls are serialised, so slots sharing the stream never
 * fetch the same page twice or take the same candidate.
 */
export function pagedStream(fetchPage: (page: number) => Promise<Candidate[]>, maxPages: number): CandidateStream {
  const buffer: Candidate[] = [];
  let page = 0;
  let done = false;
  let chain: Promise<unknown> = Promise.resolve();
  const take = async (): Promise<Candidate | undefined> => {
    while (buffer.length === 0 && !done) {
      // the page counts only once fetched, so a failed page is asked again by the next caller
      const items = await fetchPage(page + 1);
      page++;
      if (items.length === 0 || page >= maxPages) done = true;
      buffer.push(...items);
    }
    return buffer.shift();
  };
  return {
    next() {
      const p = chain.then(take);
      chain = p.catch(() => undefined);
      return p;
    },
  };
}

/** One stream per key, made on first use. */
export function streamCache(make: (key: string) => CandidateStream): (key: string) => CandidateStream {
  const streams = new Map<string, CandidateStream>();
  return (key) => {
    let s = streams.get(key);
    if (!s) streams.set(key, (s = make(key)));
    return s;
  };
}
