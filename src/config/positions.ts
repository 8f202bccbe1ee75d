/**
 * Line and column of a dotted path inside a YAML or JSON config file, using the `yaml`
 * package's CST ranges (JSON is YAML, so one parser covers both).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

export interface PositionIndex {
  /** Position of the value at `path` (or of its key, when `key` is true); the nearest parent when not found. */
  locate(path: string[], key?: boolean): Position | undefined;
}

/** `prefix` is where the config sits in the document (`['mpv2']` for package.json). */
export function indexPositions(text: string, prefix: string[] = []): PositionIndex {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  const pos = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    locate(path, key = false) {
      let node: unknown = doc.contents;
      let best: number | undefined = (node as Node | null)?.range?.[0];
      const full = [...prefix, ...path];
      for (let i = 0; i < full.length; i++) {
        const seg = full[i]!;
        const last = i === full.length - 1;
        if (isMap(node)) {
          const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
          if (!pair) return pos(best);
          const keyStart = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
          if (last && key) return pos(keyStart ?? best);
          node = pair.value;
          best = (node as Node | null)?.range?.[0] ?? keyStart ?? best;
        } else if (isSeq(node)) {
          const item = node.items[Number(seg)];
          if (item === undefined) return pos(best);
          node = item;
          best = (node as Node | null)?.range?.[0] ?? best;
        } else {
          return pos(best);
        }
      }
      return pos(best);
    },
  };
}
