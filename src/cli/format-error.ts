/**
 * Prints an error the same way every time (a plugin's own code follows the core code:
 * `✖ E_PLUGIN_FAILED outreach/SMTP_REJECTED [outreach.send]`):
 *   ✖ E_PLUGIN_INPUT_INVALID [video.render] pipelines/short.yaml:14:25
 *     with.aspect must be one of …
 *     14 |     with: { aspect: "4:3" }
 *        |                     ^
 *     Hint: …
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isMpv2Error, type Mpv2Error } from '../errors.js';
import { ValidationErrors } from '../engine/error-list.js';

function frame(e: Mpv2Error, root: string): string[] {
  const loc = e.loc;
  if (!loc?.line) return [];
  let text: string;
  try { text = readFileSync(isAbsolute(loc.file) ? loc.file : join(root, loc.file), 'utf8'); } catch { return []; }
  const line = text.split('\n')[loc.line - 1];
  if (line === undefined) return [];
  const n = String(loc.line);
  const shown = line.length > 160 ? `${line.slice(0, 157)}...` : line;
  const caret = loc.column ? `${' '.repeat(n.length)} | ${' '.repeat(Math.min(loc.column - 1, 160))}^` : undefined;
  return [`${n} | ${shown}`, ...(caret ? [caret] : [])];
}

function causeChain(e: unknown): string[] {
  const out: string[] = [];
  let c = (e as { cause?: unknown }).cause;
  for (let i = 0; c && i < 3; i++) {
    const m = c instanceof Error ? c.message : String(c);
    if (m && !out.includes(m)) out.push(m);
    c = (c as { cause?: unknown }).cause;
  }
  return out;
}

export function formatError(e: unknown, root: string, opts: { verbose?: boolean } = {}): string {
  if (e instanceof ValidationErrors) return e.errors.map((x) => formatError(x, root, opts)).join('\n\n') + `\n\n${e.errors.length} problems found.`;
  if (!isMpv2Error(e)) {
    const err = e as Error;
    return `✖ E_INTERNAL ${err?.message ?? String(e)}${opts.verbose && err?.stack ? `\n${err.stack}` : ''}\n  Hint: this is a bug in mpv2; please report it with the command you ran`;
  }
  const where = e.loc ? ` ${e.loc.file}${e.loc.line ? `:${e.loc.line}${e.loc.column ? `:${e.loc.column}` : ''}` : ''}` : '';
  const who = e.plugin ? ` [${e.plugin}]` : e.step ? ` [${e.step}]` : '';
  const lines = [`✖ ${shownCode(e)}${who}${where}`, ...e.message.split('\n').map((l) => `  ${l}`)];
  for (const f of frame(e, root)) lines.push(`  ${f}`);
  if (opts.verbose) for (const c of causeChain(e)) lines.push(`  caused by: ${c}`);
  if (e.hint) lines.push(`  Hint: ${e.hint}`);
  return lines.join('\n');
}

/** A recorded error's code as printed: the core code, then the plugin's own code if any. */
export function shownCode(e: { code: string; pluginCode?: string }): string {
  return e.pluginCode ? `${e.code} ${e.pluginCode}` : e.code;
}
