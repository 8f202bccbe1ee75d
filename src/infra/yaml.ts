/**
 * The one way mpv2 reads YAML that becomes data (pipelines, `--input` values, config files,
 * `file.read`): only what JSON can hold gets through, faithfully, or the value is refused
 * with its line and column. The `yaml` package alone would turn `!!set`, `!!omap`, `!!binary`
 * and `!!timestamp` into Set, Map, Buffer and Date (which become `{}` in JSON), `.inf`, `.nan`
 * and `1e400` into numbers JSON writes as `null`, a big integer into a rounded one, and
 * `&a [*a]` into a circular value; deep nesting and alias bombs exhaust the stack or memory.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** Deeper values are refused: every later walk (expressions, schemas, JSON) recurses. */
export const MAX_YAML_DEPTH = 200;
/** Values that aliases may add in all; a few KB of `*a` can otherwise stand for billions. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Keys that would reach an object's prototype when code copies the data around. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const JSON_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

const TAG_ADVICE: Record<string, string> = {
  binary: 'JSON has no bytes: drop the tag to keep the base64 text as a string',
  set: 'JSON has no sets: write a list, e.g. [a, b]',
  omap: 'write a plain mapping (keys keep their order) or a list of mappings',
  pairs: 'write a list of mappings, e.g. [{a: 1}, {b: 2}]',
  timestamp: 'JSON has no dates: drop the tag (or quote the value) to keep it as text, e.g. "2001-12-14"',
};

export interface YamlProblem {
  message: string;
  hint?: string;
  line: number;
  column: number;
  /** Where the problem starts in the text. */
  offset: number;
  /** The YAML parser's error code (`TAB_AS_INDENT`, `DUPLICATE_KEY`, …), for problems it found. */
  code?: string;
}

export interface YamlResult {
  /** The value; undefined when there are problems. */
  data: unknown;
  doc: Document;
  lineCounter: LineCounter;
  problems: YamlProblem[];
}

export interface YamlOptions {
  /** Mapping keys refused wherever they appear (default: none). */
  forbiddenKeys?: ReadonlySet<string>;
  /** Every parser warning counts as a problem (default true); unknown tags always do. */
  strict?: boolean;
}

/** Parses `text` and checks that its value is plain JSON data. Never throws for bad input. */
export function parseYamlData(text: string, opts: YamlOptions = {}): YamlResult {
  const lineCounter = new LineCounter();
  const problems: YamlProblem[] = [];
  const add = (offset: number, message: string, hint?: string, code?: string) => {
    const p = lineCounter.linePos(offset);
    problems.push({ message, hint, line: p.line, column: p.col, offset, ...(code && { code }) });
  };
  let doc: Document;
  try {
    // `<<: *defaults` merges, as authors who write it mean (YAML 1.2 alone would keep a "<<" key)
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, merge: true });
  } catch (e) {
    // the parser recurses per nesting level; very deep flow collections can exhaust the stack
    if (!(e instanceof RangeError)) throw e;
    add(0, `the YAML is nested too deeply to read (more than ${MAX_YAML_DEPTH} levels are refused)`, 'flatten the data');
    return { data: undefined, doc: parseDocument(''), lineCounter, problems };
  }
  const strict = opts.strict ?? true;
  for (const e of [...doc.errors, ...doc.warnings.filter((w) => strict || w.code === 'TAG_RESOLVE_FAILED')]) {
    const deep = /call stack/i.test(e.message);
    const message = deep ? `the YAML is nested too deeply to read (more than ${MAX_YAML_DEPTH} levels are refused)` : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const hint = e.code === 'TAG_RESOLVE_FAILED' ? 'only the JSON types are read: !!str, !!int, !!float, !!bool, !!null, !!map, !!seq; drop the tag' : deep ? 'flatten the data' : undefined;
    add(e.pos[0], message, hint, e.code);
  }
  if (problems.length === 0) checkValues(doc, text, opts, add);
  const data = problems.length === 0 ? doc.toJS({ maxAliasCount: -1 }) : undefined; // aliases were counted above
  return { data, doc, lineCounter, problems };
}

interface Extent { size: number; depth: number }

function checkValues(doc: Document, text: string, opts: YamlOptions, add: (offset: number, message: string, hint?: string) => void): void {
  const memo = new Map<Node, Extent>();
  const open = new Set<Node>();
  let expanded = 0;
  let stop = false;
  const start = (n: Node) => n.range?.[0] ?? 0;

  const visit = (node: unknown, level: number): Extent => {
    if (stop || !node) return { size: 0, depth: 0 };
    const n = node as Node;
    if (level > MAX_YAML_DEPTH) {
      add(start(n), `the value is nested more than ${MAX_YAML_DEPTH} levels deep`, 'flatten the data; deeper values are refused');
      stop = true;
      return { size: 0, depth: 0 };
    }
    if (isAlias(n)) {
      const target = n.resolve(doc) as Node | undefined;
      if (!target) return { size: 1, depth: 1 };
      if (open.has(target)) {
        add(start(n), `the alias *${n.source} refers to a value that contains it, which would be infinite`, 'copy the value instead of referring to its own anchor');
        stop = true;
        return { size: 0, depth: 0 };
      }
      const ext = memo.get(target) ?? visit(target, level);
      expanded += ext.size;
      if (expanded > MAX_ALIAS_EXPANSION) {
        add(start(n), `aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} values (an alias bomb?)`, 'write the values out, or use fewer aliases of large anchors');
        stop = true;
      } else if (level + ext.depth > MAX_YAML_DEPTH + 1) {
        add(start(n), `through this alias the value is nested more than ${MAX_YAML_DEPTH} levels deep`, 'flatten the data; deeper values are refused');
        stop = true;
      }
      return ext;
    }
    const tag = (n as { tag?: string }).tag;
    if (tag && !JSON_TAGS.has(tag)) {
      const short = tag.replace('tag:yaml.org,2002:', '');
      const written = tag.startsWith('tag:yaml.org,2002:') ? `!!${short}` : tag;
      // the node starts after its tag: point at the tag itself
      const at = text.lastIndexOf(written, start(n));
      add(at >= 0 ? at : start(n), `the tag ${written} is not allowed: the value must be plain JSON data`, TAG_ADVICE[short] ?? 'drop the tag');
      return { size: 1, depth: 1 };
    }
    if (isScalar(n)) {
      if (typeof n.value === 'number') checkNumber(n.value, n.range ? text.slice(n.range[0], n.range[1]).trim() : '', start(n), add);
      return { size: 1, depth: 1 };
    }
    if (!isMap(n) && !isSeq(n)) return { size: 1, depth: 1 };
    // only an anchored node can be an alias's target: only those are tracked and remembered
    const anchored = Boolean(n.anchor);
    if (anchored) open.add(n);
    let size = 1;
    let depth = 0;
    for (const item of n.items) {
      if (isPair(item)) {
        const key = item.key as Node | null;
        if (isScalar(key) && opts.forbiddenKeys?.has(String(key.value))) {
          add(start(key), `the key "${String(key.value)}" is not allowed`, `${[...opts.forbiddenKeys].join(', ')} would reach JavaScript object prototypes; rename the key`);
        } else if (key && !isScalar(key)) {
          add(start(key), 'a mapping key must be a plain value, not a list or mapping', 'JSON object keys are strings');
        }
        const e = visit(item.value, level + 1);
        size += e.size + 1;
        depth = Math.max(depth, e.depth);
      } else {
        const e = visit(item, level + 1);
        size += e.size;
        depth = Math.max(depth, e.depth);
      }
    }
    const ext = { size, depth: depth + 1 };
    if (anchored) {
      open.delete(n);
      memo.set(n, ext);
    }
    return ext;
  };
  visit(doc.contents, 1);
}

function checkNumber(value: number, source: string, offset: number, add: (offset: number, message: string, hint?: string) => void): void {
  if (!Number.isFinite(value)) {
    add(offset, `${source || String(value)} is not a number JSON can hold (infinite or NaN)`, 'use a finite number, or quote it to pass it as text');
  } else if (/^[-+]?[0-9]+$/.test(source) && !Number.isSafeInteger(value)) {
    add(offset, `${source} is too large an integer to keep exactly (above 2^53)`, 'quote it to pass it as text, e.g. an id: "1234567890123456789"');
  }
}

/** True when a parsed value (JSON.parse's, say) is nested deeper than MAX_YAML_DEPTH; walks without recursion. */
export function tooDeepData(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_YAML_DEPTH) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth + 1]);
  }
  return false;
}
