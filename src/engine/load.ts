/**
 * Reads a pipeline file and parses it with positions, so every later error can point at
 * `file:line:col`. All YAML errors of the file are reported at once.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLError } from 'yaml';
import { mpv2Error, Mpv2Error, type SourceLocation } from '../errors.js';
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
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw mpv2Error('E_NOT_FOUND', `pipeline file ${displayName} does not exist`, { cause: e, hint: 'check the path; pipelines usually live in pipelines/' });
  }
  if (size > MAX_PIPELINE_BYTES) {
    throw mpv2Error('E_PIPELINE_TOO_LARGE', `${displayName} is ${(size / 1048576).toFixed(1)} MB; pipelines are capped at ${MAX_PIPELINE_BYTES / 1048576} MB`, {
      loc: { file: displayName },
      hint: 'move large data into a file and read it with a step that reads files',
    });
  }
  const text = readFileSync(file, 'utf8');
  return parsePipelineText(text, displayName);
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const pos = (offset: number): SourceLocation => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const errors = new ErrorList();
    for (const e of doc.errors) {
      const msg = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const line = text.split('\n')[lineCounter.linePos(e.pos[0]).line - 1] ?? '';
      const hint = YAML_HINTS[e.code] ?? (line.includes('${{') ? 'put the value in quotes: YAML reads ": " or "{" inside ${{ … }} as YAML syntax' : undefined);
      errors.add(new Mpv2Error('E_PIPELINE_PARSE', msg, { loc: pos(e.pos[0]), hint }));
    }
    errors.throwIfAny();
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
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
