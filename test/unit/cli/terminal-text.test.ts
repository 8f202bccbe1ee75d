/** Control characters of values are shown escaped to people (issue 13 item 11), and JSON stays the same JSON. */
import { describe, expect, it } from 'vitest';
import { forTerminal, forTerminalDeep } from '../../../src/cli/output/terminal-text.js';
import { describeEvent } from '../../../src/cli/output/plain.js';
import { formatError } from '../../../src/cli/format-error.js';
import { mpv2Error } from '../../../src/errors.js';

const NASTY = '\u001b]0;title\u0007\u001b[2J\u009b2J\u202egnp.exe\r\u0000\u007f';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('forTerminal', () => {
  it('escapes C0 (but newline and tab), DEL, C1 and bidi controls; keeps the rest', () => {
    expect(forTerminal(`a\tb\n${NASTY}é😀`)).toBe('a\tb\n\\u001b]0;title\\u0007\\u001b[2J\\u009b2J\\u202egnp.exe\\u000d\\u0000\\u007fé😀');
  });

  it('a JSON line stays the same JSON', () => {
    const line = JSON.stringify({ v: NASTY, n: [1, 'x'] });
    expect(RAW.test(forTerminal(line))).toBe(false);
    expect(JSON.parse(forTerminal(line))).toEqual({ v: NASTY, n: [1, 'x'] });
  });

  it('reaches every string of an event, and the plain and error printers\' output is safe once passed through it', () => {
    const e = forTerminalDeep({ event: 'step.failed', stepId: 's', runId: 'r', time: 't', error: { code: 'E_HTTP', message: NASTY } } as const);
    expect(RAW.test(e.error.message)).toBe(false);
    expect(RAW.test(forTerminal(describeEvent(e as never)!))).toBe(false);
    expect(RAW.test(forTerminal(formatError(mpv2Error('E_HTTP', `server said ${NASTY}`, { hint: NASTY }), '/')))).toBe(false);
  });
});
