/** Writing data files for file.write: JSON (two-space indent), YAML or text. */
import { stringify as stringifyYaml } from 'yaml';
import { mpv2Error } from 'mpv2/plugin';
import type { FileWriteInput } from './file-write.js';

/** file.write's `format`. */
export type WriteFormat = NonNullable<FileWriteInput['format']>;

/** Text to write for `data` in `format`; JSON is indented by two spaces and ends with a newline. */
export function serialize(format: WriteFormat, data: unknown, file: string): string {
  if (format === 'json') {
    const s = JSON.stringify(data, null, 2);
    if (s === undefined) throw mpv2Error('E_INPUT_INVALID', `\`data\` for ${file} cannot be written as JSON`);
    return `${s}\n`;
  }
  if (format === 'yaml') return stringifyYaml(data);
  if (typeof data === 'string') return data;
  throw mpv2Error('E_INPUT_INVALID', `\`data\` for ${file} is ${Array.isArray(data) ? 'a list' : typeof data}, which format text cannot hold`, {
    hint: 'use `format: json` or `format: yaml`, or pass the text as `content`',
  });
}
