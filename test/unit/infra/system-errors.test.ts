/** Node and SQLite errors a user or the machine causes get a code and a hint, not "a bug in mpv2". */
import { describe, expect, it } from 'vitest';
import { formatError } from '../../../src/cli/format-error.js';
import { toMpv2Error } from '../../../src/errors.js';
import { fromSystemError } from '../../../src/infra/system-errors.js';
import { fileError } from '../../../plugins/core/file-errors.js';

const sys = (code: string, message: string, path?: string) => Object.assign(new Error(message), { code, ...(path && { path }) });

describe('fromSystemError', () => {
  it.each([
    [sys('ENOSPC', 'ENOSPC: no space left on device, write'), 'E_DISK_FULL', /the disk is full/, /df -h/],
    [sys('EDQUOT', 'EDQUOT: disk quota exceeded'), 'E_DISK_FULL', /disk is full/, /resume/],
    [sys('SQLITE_FULL', 'database or disk is full'), 'E_DISK_FULL', /database or disk is full/, /free space/],
    [sys('SQLITE_BUSY', 'database is locked'), 'E_LOCKED', /in use by another process/, /wait/],
    [sys('SQLITE_READONLY', 'attempt to write a readonly database'), 'E_FILE', /cannot be written/, /permissions/],
    [sys('SQLITE_NOTADB', 'file is not a database'), 'E_FILE', /damaged/, /move \.mpv2\/state\.db away/],
    [sys('EACCES', 'EACCES: permission denied', '/p/x'), 'E_FILE', /cannot use \/p\/x: permission denied/, /permissions/],
    [sys('EROFS', 'EROFS', '/p/y'), 'E_FILE', /read-only/, undefined],
  ])('%s → %s', (e, code, message, hint) => {
    const m = fromSystemError(e)!;
    expect(m.code).toBe(code);
    expect(m.message).toMatch(message);
    if (hint) expect(m.hint).toMatch(hint);
  });

  it('leaves unknown errors unknown (a real bug stays E_INTERNAL)', () => {
    expect(fromSystemError(new TypeError('x is undefined'))).toBeUndefined();
    expect(fromSystemError(sys('EACCES', 'no path'))).toBeUndefined();
    expect(formatError(new TypeError('x is undefined'), '/')).toMatch(/^✖ E_INTERNAL[\s\S]*a bug in mpv2/);
  });

  it('the CLI prints a raw SQLITE_FULL as E_DISK_FULL, and plugins wrapping ENOSPC get E_DISK_FULL too', () => {
    expect(formatError(sys('SQLITE_FULL', 'database or disk is full'), '/')).toMatch(/^✖ E_DISK_FULL\n {2}the disk is full: database or disk is full\n {2}Hint: free space/);
    expect(toMpv2Error(sys('ENOSPC', 'ENOSPC: no space left on device'), 'E_PLUGIN_FAILED').code).toBe('E_DISK_FULL');
    expect(toMpv2Error(new Error('boom'), 'E_PLUGIN_FAILED').code).toBe('E_PLUGIN_FAILED');
    expect(fileError(sys('ENOSPC', 'ENOSPC: no space left on device'), 'out/x.txt', '/p/out/x.txt', 'write')).toMatchObject({
      code: 'E_DISK_FULL', message: 'cannot write "out/x.txt" (/p/out/x.txt): the disk is full', hint: expect.stringMatching(/df -h/),
    });
  });

  it('a SQLite I/O error is E_DISK_FULL only when the disk has no room, else E_FILE with a hint', () => {
    const io = sys('SQLITE_IOERR_SHMSIZE', 'disk I/O error');
    expect(fromSystemError(io, '/')).toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/SQLITE_IOERR_SHMSIZE/), hint: expect.stringMatching(/full .*or failing/) });
    expect(fromSystemError(io)).toMatchObject({ code: 'E_FILE' });
  });
});
