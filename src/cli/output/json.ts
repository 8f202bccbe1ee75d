import type { EventSink } from '../../engine/events.js';
import { forTerminal } from './terminal-text.js';

/**
 * `--json`: one event a line on stdout and nothing else there (docs/json-events.md). C1
 * controls and bidi overrides, which JSON may carry raw, are written as `\u` escapes (the
 * same JSON), so a terminal showing the stream is not steered by a value.
 */
export function jsonSink(write: (s: string) => void = (s) => process.stdout.write(s)): { sink: EventSink; done(): Promise<void> } {
  return { sink: (e) => write(`${forTerminal(JSON.stringify(e))}\n`), done: async () => undefined };
}
