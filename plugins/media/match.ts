/** Keyword matching of queries against file names, for `provider: local`. */
const STOP = new Set('a an and at by for from in into is of on or the to with'.split(' '));

/** Lower-case word stems: `Sunsets_02.JPG` → sunset, 02. */
export function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && !STOP.has(t))
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t));
}

/** How many of the query's words the file's name (and folders) contain. */
export function matchScore(queryTokens: readonly string[], fileTokens: readonly string[]): number {
  let score = 0;
  for (const q of queryTokens) {
    if (fileTokens.includes(q)) score += 1;
    else if (q.length >= 4 && fileTokens.some((f) => f.length >= 4 && (f.includes(q) || q.includes(f)))) score += 0.5;
  }
  return score;
}
