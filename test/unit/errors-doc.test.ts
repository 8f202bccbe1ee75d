/** docs/errors.md lists every code of the catalogue, with the exit status the CLI gives it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { ERROR_CODES, mpv2Error, type ErrorCode } from '../../src/errors.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'errors.md'), 'utf8');

describe('docs/errors.md', () => {
  it.each(Object.keys(ERROR_CODES))('%s is documented with its exit status', (code) => {
    const row = new RegExp(`^\\| \`${code}\` \\| .+ \\| (\\d) \\|$`, 'm').exec(doc);
    expect(row, `add a row for ${code} to docs/errors.md`).not.toBeNull();
    expect(Number(row![1])).toBe(exitCodeFor(mpv2Error(code as ErrorCode, 'x')));
  });
});
