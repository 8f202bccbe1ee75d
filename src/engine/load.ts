/**
 * Reads a pipeline file and parses it with positions, so every later error can point at
 * `file:line:col`. All YAML errors of the file are reported at once.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type YAMLError } from 'yaml';
import { mpv2Error, Mpv2Error, type SourceLocation } from '../errors.js';
import { parseYamlData, PROTOTYPE_KEYS } from '../infra/yaml.js';
import { ErrorList } from './error-list.js';

/** Pipelines larger than this are refused (a documented cap; 5 MB files load fine). */
export const MAX_PIPELINE_BYTES = 16 * 1024 * 1024;

export type PathSeg = string | number;

export interface LoadedPipelineFile {
  file: string;
  text: string;
  data: unknown;
  /** Location of the value at `path`, or of its nearest existing parent. */
  locate(path: PathSeg[], which?: 'value' | 'key'): SourceLocation;
}

export function loadPipelineFile(file: string, displayName = file): LoadedPipelineFile {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw mpv2Error('E_NOT_FOUND', `pipeline file ${displayName} does not exist`, { cause: e, hint: 'check the path; pipelines usually live in pipelines/' });
  }
  if (st.isDirectory()) {
    throw mpv2Error('E_USAGE', `${displayName} is a folder, not a pipeline file`, { loc: { file: displayName }, hint: `name a .yaml file in it, e.g. ${displayName.replace(/\/$/, '')}/<name>.yaml` });
  }
  const tooLarge = (size: string) => mpv2Error('E_PIPELINE_TOO_LARGE', `${displayName} is ${size}; pipelines are capped at ${MAX_PIPELINE_BYTES / 1048576} MB`, {
    loc: { file: displayName },
    hint: 'move large data into a file and read it with a step that reads files',
  });
  if (st.size > MAX_PIPELINE_BYTES) throw tooLarge(`${(st.size / 1048576).toFixed(1)} MB`);
  let bytes: Buffer | undefined;
  try {
    bytes = readCapped(file, MAX_PIPELINE_BYTES);
  } catch (e) {
    throw mpv2Error('E_FILE', `cannot read ${displayName}: ${(e as Error).message}`, { cause: e, loc: { file: displayName }, hint: 'check that the file is readable' });
  }
  if (!bytes) throw tooLarge('larger than that'); // a device or pipe that goes on and on
  return parsePipelineText(decodeText(bytes, displayName, 'E_PIPELINE_PARSE'), displayName);
}

/**
 * The file's bytes, or undefined when there are more than `cap`. Reads in chunks rather
 * than trusting the size: a pipe or `/dev/zero` reports 0 and never ends.
 */
export function readCapped(file: string, cap: number): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, cap + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > cap) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * UTF-8 text, or E_PIPELINE_PARSE (or the caller's code) at the first byte that is not:
 * a binary file or one in another encoding would otherwise be read with U+FFFD in place.
 */
export function decodeText(bytes: Buffer, file: string, code: 'E_PIPELINE_PARSE' | 'E_INPUT_INVALID'): string {
  const nul = bytes.indexOf(0);
  const bad = nul >= 0 ? nul : firstInvalidUtf8(bytes);
  if (bad < 0) return bytes.toString('utf8');
  const before = bytes.subarray(0, bad).toString('utf8').split('\n');
  const loc = { file, line: before.length, column: before.at(-1)!.length + 1 };
  throw mpv2Error(code, nul >= 0 ? `${file} is not a text file (it holds a NUL byte)` : `${file} is not UTF-8 text (byte 0x${bytes[bad]!.toString(16)} at offset ${bad})`, {
    loc, hint: nul >= 0 ? 'pass a YAML file' : 'save the file as UTF-8',
  });
}

function firstInvalidUtf8(bytes: Buffer): number {
  if (isUtf8(bytes)) return -1;
  // rare path: the shortest prefix that fails to decode ends at the byte that shows the error
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try { new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true }); lo = mid + 1; } catch { hi = mid; }
  }
  // an unfinished sequence before it is where the bad text starts (é in Latin-1 followed by a newline)
  let j = lo - 1;
  while (j >= 0 && lo - j < 4 && (bytes[j]! & 0xc0) === 0x80) j--;
  return j >= 0 && bytes[j]! >= 0xc0 ? j : lo;
}

/** Hints for the YAML parser's error codes (its messages are for people, not for matching). */
const YAML_HINTS: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'YAML indentation must use spaces, not tabs',
  DUPLICATE_KEY: 'each key may appear once in a mapping',
};

export function parsePipelineText(text: string, file: string): LoadedPipelineFile {
  if (text.trim() === '' || text.split('\n').every((l) => /^\s*(#.*)?$/.test(l))) {
    throw mpv2Error('E_PIPELINE_PARSE', 'the pipeline file is empty', {
      loc: { file, line: 1, column: 1 },
      hint: 'a pipeline needs at least `steps:`; `mpv2 init` writes an example',
    });
  }
  // `__proto__`, `constructor` and `prototype` keys are refused anywhere in a pipeline: as
  // `with:` keys they pass the schema and then break the plugin at run time
  const { doc, lineCounter, problems, data } = parseYamlData(text, { forbiddenKeys: PROTOTYPE_KEYS });
  const pos = (offset: number): SourceLocation => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  if (problems.length > 0) {
    const errors = new ErrorList();
    const lines = text.split('\n');
    for (const p of problems) {
      const line = lines[p.line - 1] ?? '';
      const hint = p.hint ?? YAML_HINTS[p.code as YAMLError['code']] ?? (line.includes('${{') ? 'put the value in quotes: YAML reads ": " or "{" inside ${{ … }} as YAML syntax' : undefined);
      errors.add(new Mpv2Error('E_PIPELINE_PARSE', p.message, { loc: { file, line: p.line, column: p.column }, hint }));
    }
    errors.throwIfAny();
  }
  if (data === null || data === undefined) {
    throw mpv2Error('E_PIPELINE_PARSE', 'the pipeline file holds no document', { loc: { file, line: 1, column: 1 } });
  }
  return { file, text, data, locate: (path, which = 'value') => locateIn(doc, path, which, pos, file) };
}

function locateIn(doc: Document, path: PathSeg[], which: 'value' | 'key', pos: (o: number) => SourceLocation, file: string): SourceLocation {
  let node: unknown = doc.contents;
  let best: Node | undefined = doc.contents ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && which === 'key' && pair.key) { best = pair.key as Node; break; }
      node = pair.value;
      if (node && (node as Node).range) best = node as Node;
      else if (pair.key) best = pair.key as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      best = node as Node;
    } else break;
  }
  return best?.range ? pos(best.range[0]) : { file, line: 1, column: 1 };
}
