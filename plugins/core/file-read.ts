import { readFile, stat } from 'node:fs/promises';
import { definePlugin } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { coreConfigSchema, hasExpression } from './config.js';
import { formatFromPath, parseAs, stripBom, type ReadFormat } from 'mpv2/plugin';
import { fileError } from './file-errors.js';

/** Files larger than this are refused: outputs are journaled and held in memory. */
export const MAX_READ_BYTES = 50 * 1024 * 1024;

const ENCODINGS = ['utf8', 'utf16le', 'latin1', 'ascii', 'base64', 'hex'] as const;

export const fileReadInput = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: {
    path: { type: 'string', format: 'path', description: 'The file, relative to the pipeline file; it must be inside the project.' },
    format: {
      type: 'string',
      enum: ['text', 'json', 'yaml', 'csv'],
      description: 'How to read it. Default: from the extension (.json, .yaml/.yml, .csv), else text.',
    },
    encoding: { type: 'string', enum: ENCODINGS, default: 'utf8', description: 'Character encoding of the file.' },
  },
} as const satisfies JSONSchema;

/** `with` of file.read, defaults filled in by the engine. */
export type FileReadInput = FromSchema<typeof fileReadInput>;

export type FileReadOutput = { content: string } | { data: unknown };

const CONTENT: JSONSchema = { type: 'string', description: 'The file as text (format text).' };
const DATA: JSONSchema = { description: 'The parsed file (json, yaml, csv).' };

export default definePlugin<FileReadInput, FileReadOutput>({
  id: 'file.read',
  // for plugins that read data files the way file.read does (outreach.leads): same formats, same errors
  services: {
    parse: async (_ctx, format: Exclude<ReadFormat, 'text'>, text: string, file: string) => parseAs(format, stripBom(text), file),
  },
  version: '1.0.0',
  description: 'Read a text, JSON, YAML or CSV file from the project',
  input: fileReadInput,
  output: {
    type: 'object',
    additionalProperties: false,
    properties: { content: CONTENT, data: DATA },
  },
  outputSchema: (staticWith) => {
    const format = staticFormat(staticWith);
    if (!format) return undefined;
    const properties = format === 'text' ? { content: CONTENT } : { data: DATA };
    return { type: 'object', required: Object.keys(properties), properties, additionalProperties: false };
  },
  config: coreConfigSchema,
  effect: false,
  pure: true,
  async run(ctx, input) {
    const file = ctx.resolvePath(input.path);
    const info = await stat(file).catch((e: unknown) => { throw fileError(e, input.path, file, 'read'); });
    if (info.isDirectory()) {
      throw mpv2Error('E_FILE', `cannot read "${input.path}": it is a folder (${file})`, { hint: 'point `path` at a file' });
    }
    if (info.size > MAX_READ_BYTES) {
      throw mpv2Error('E_FILE', `cannot read "${input.path}": it is ${(info.size / 1048576).toFixed(1)} MB, more than the 50 MB file.read handles`, {
        hint: 'pass the path to the step that needs the file instead of its content',
        details: { path: file, bytes: info.size },
      });
    }
    const buf = await readFile(file, { signal: ctx.signal }).catch((e: unknown) => { throw fileError(e, input.path, file, 'read'); });
    const text = stripBom(buf.toString(input.encoding));
    const format = input.format ?? formatFromPath(file);
    if (format === 'text') return { content: text };
    return { data: parseAs(format, text, file, 'fix the file, or read it with `format: text` to get it as a string') };
  },
});

/** The format when `with` fixes it statically (an explicit format, or a literal path's extension). */
function staticFormat(w: Record<string, unknown> | undefined): ReadFormat | undefined {
  const f = w?.format;
  if (typeof f === 'string' && !hasExpression(f)) return f as ReadFormat;
  if (f !== undefined) return undefined;
  const p = w?.path;
  return typeof p === 'string' && !hasExpression(p) ? formatFromPath(p) : undefined;
}
