/**
 * Text for people's terminals. Values a pipeline handles (outputs, error messages, server
 * answers) may hold terminal control sequences: `ESC ]0;title BEL` retitles the window,
 * `ESC [2J` clears it, a C1 CSI (U+009B) does the same on terminals that read 8-bit
 * controls, and bidi overrides reorder what is shown. Every character of those kinds, but
 * newline and tab, is shown as a `\uXXXX` escape instead. That escape is also valid JSON
 * inside a string, so a line of JSON passes through unchanged in meaning.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function forTerminal(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `forTerminal` on every string of a value (events before a renderer formats them). */
export function forTerminalDeep<T>(v: T): T {
  if (typeof v === 'string') return forTerminal(v) as T;
  if (Array.isArray(v)) return v.map(forTerminalDeep) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, forTerminalDeep(x)])) as T;
  }
  return v;
}
