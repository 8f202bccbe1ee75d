/** The one error catalogue: every code documented, defaults filled from it, plugin codes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, errorDocs, exitClassOf, mpv2Error, pluginError, toMpv2Error, type ErrorCode } from '../../../src/errors.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';
import { formatError } from '../../../src/cli/format-error.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'errors.md'), 'utf8');
const codes = Object.keys(ERRORS) as ErrorCode[];

describe('the error catalogue', () => {
  it('docs/errors.md has one section per code, and none for a code that does not exist', () => {
    const documented = [...DOC.matchAll(/^## (E_[A-Z_]+)$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...codes].sort());
    for (const c of codes) expect(errorDocs(c)).toBe(`docs/errors.md#${c.toLowerCase()}`);
  });

  it('each section says the exit code the catalogue gives', () => {
    for (const c of codes) {
      const section = DOC.split(`## ${c}\n`)[1]!.split('\n## ')[0]!;
      expect(section, c).toMatch(new RegExp(`Exit (130/143 from .*, else )?${ERRORS[c].exit}\\.`));
    }
  });

  it('is alphabetical, so merges of new codes stay simple', () => {
    expect(codes).toEqual([...codes].sort());
  });

  it('mpv2Error fills the hint and retryable default of the code; given ones win', () => {
    const full = mpv2Error('E_DISK_FULL', 'no space');
    expect(full.hint).toBe(ERRORS.E_DISK_FULL.hint);
    expect(mpv2Error('E_DISK_FULL', 'no space', { hint: 'mine' }).hint).toBe('mine');
    expect(mpv2Error('E_RATE_LIMITED', '429').retryable).toBe(true);
    expect(mpv2Error('E_RATE_LIMITED', 'quota used up for today', { retryable: false }).retryable).toBe(false);
    expect(mpv2Error('E_HTTP', 'refused').retryable).toBe(false);
    expect(mpv2Error('E_AUTH', 'bad key').hint).toBeUndefined();
  });

  it('the exit code comes from the catalogue: bad input 2, a failure 1, an unknown error 1', () => {
    expect(exitCodeFor(mpv2Error('E_PIPELINE_SCHEMA', 'x'))).toBe(2);
    expect(exitCodeFor(mpv2Error('E_PATH_RESERVED', 'x'))).toBe(2);
    expect(exitCodeFor(mpv2Error('E_HTTP', 'x'))).toBe(1);
    expect(exitCodeFor(new Error('x'))).toBe(1);
    // a duck-typed error of an old plugin with a code the catalogue does not know
    expect(exitClassOf(Object.assign(new Error('x'), { name: 'Mpv2Error', code: 'E_WHATEVER' }))).toBe(1);
  });
});

describe('plugin errors', () => {
  it('pluginError is E_PLUGIN_FAILED carrying the plugin code, hint, retryable, notDone and cause', () => {
    const cause = new Error('550 5.1.1 no such user');
    const e = pluginError('outreach/SMTP_REJECTED', 'the server refused the message', { hint: 'check the address', retryable: false, notDone: true, cause });
    expect(e).toMatchObject({ code: 'E_PLUGIN_FAILED', pluginCode: 'outreach/SMTP_REJECTED', hint: 'check the address', retryable: false, notDone: true, cause });
    expect(e.toJSON()).toEqual({ code: 'E_PLUGIN_FAILED', pluginCode: 'outreach/SMTP_REJECTED', message: 'the server refused the message', hint: 'check the address' });
    expect(toMpv2Error(e)).toBe(e);
  });

  it('a code not of the form <namespace>/<NAME> is refused, naming the form', () => {
    for (const bad of ['SMTP_REJECTED', 'outreach/smtp', 'Outreach/X', 'outreach/X/Y', 'E_HTTP']) {
      expect(() => pluginError(bad as `${string}/${string}`, 'm'), bad).toThrow(/<namespace>\/<NAME>/);
    }
  });

  it('is printed with the core code, the plugin code and the plugin id', () => {
    const e = pluginError('outreach/SMTP_REJECTED', 'the server refused the message', { hint: 'check the address' });
    e.plugin = 'outreach.send';
    expect(formatError(e, '/nonexistent')).toBe('✖ E_PLUGIN_FAILED outreach/SMTP_REJECTED [outreach.send]\n  the server refused the message\n  Hint: check the address');
  });
});
