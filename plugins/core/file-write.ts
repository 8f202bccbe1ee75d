import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { definePlugin } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { isMpv2Error, mpv2Error } from 'mpv2/plugin';
import { coreConfigSchema } from './config.js';
import { writeFileAtomic } from './atomic-write.js';
import { fileError } from './file-errors.js';
import { formatFromPath } from 'mpv2/plugin';
import { serialize, type WriteFormat } from './file-formats.js';

export const fileWriteInput = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: {
    path: { type: 'string', description: 'The file to write, relative to the pipeline file; it must be inside the project.' },
    content: { type: 'string', description: 'Text to write as it is. Give `content` or `data`, not both.' },
    data: { description: 'A value to write serialised as `format` (JSON or YAML). Give `content` or `data`, not both.' },
    format: {
      type: 'string',
      enum: ['text', 'json', 'yaml'],
      description: 'How to serialise `data`. Default: from the extension (.json, .yaml/.yml), else text.',
    },
    mkdir: { type: 'boolean', default: true, description: 'Create missing parent folders.' },
  },
} as const satisfies JSONSchema;

/** `with` of file.write, defaults filled in by the engine. */
export type FileWriteInput = FromSchema<typeof fileWriteInput>;

export const fileWriteOutput = {
  type: 'object',
  required: ['path', 'bytes'],
  additionalProperties: false,
  properties: {
    path: { type: 'string', description: 'Absolute path of the written file.' },
    bytes: { type: 'integer', description: 'Bytes written.' },
  },
} as const satisfies JSONSchema;

/** What file.write outputs. */
export type FileWriteOutput = FromSchema<typeof fileWriteOutput>;

export default definePlugin<FileWriteInput, FileWriteOutput>({
  id: 'file.write',
  version: '1.0.0',
  description: 'Write text, JSON or YAML to a file in the project (atomically)',
  input: fileWriteInput,
  output: fileWriteOutput,
  config: coreConfigSchema,
  effect: false,
  // a cache hit would not write the file
  pure: false,
  async run(ctx, input) {
    const hasContent = input.content !== undefined;
    const hasData = input.data !== undefined;
    if (hasContent === hasData) {
      throw mpv2Error('E_INPUT_INVALID', `file.write needs exactly one of \`content\` and \`data\`, got ${hasContent ? 'both' : 'neither'}`, {
        hint: 'use `content` for text you already have, `data` for a value to write as JSON or YAML',
      });
    }
    const file = ctx.resolvePath(input.path, 'write');
    const format = input.format ?? textOr(formatFromPath(file));
    const text = hasContent ? input.content! : serialize(format, input.data, input.path);
    const buf = Buffer.from(text, 'utf8');
    const dir = dirname(file);
    try {
      if (input.mkdir) await mkdir(dir, { recursive: true });
      else if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
        throw mpv2Error('E_FILE', `cannot write "${input.path}": the folder ${dir} does not exist`, {
          hint: 'create it first, or leave `mkdir` at its default (true)',
        });
      }
      if (await stat(file).then((s) => s.isDirectory(), () => false)) {
        throw mpv2Error('E_FILE', `cannot write "${input.path}": it is a folder (${file})`, { hint: 'name a file, not a folder' });
      }
      await writeFileAtomic(file, buf);
    } catch (e) {
      throw isMpv2Error(e) ? e : fileError(e, input.path, file, 'write');
    }
    ctx.log.debug(`wrote ${buf.length} bytes to ${file}`);
    return { path: file, bytes: buf.length };
  },
});

function textOr(f: ReturnType<typeof formatFromPath>): WriteFormat {
  return f === 'csv' ? 'text' : f;
}
