import type { EventSink } from '../../engine/events.js';

/** `--json`: one event a line on stdout and nothing else there (docs/json-events.md). */
export function jsonSink(write: (s: string) => void = (s) => process.stdout.write(s)): { sink: EventSink; done(): Promise<void> } {
  return { sink: (e) => write(`${JSON.stringify(e)}\n`), done: async () => undefined };
}
