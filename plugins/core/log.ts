import { definePlugin } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { coreConfigSchema } from './config.js';

export const logInput = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: {
    message: { description: 'What to log. Strings are logged as they are; any other value as JSON.' },
    level: {
      type: 'string',
      enum: ['debug', 'info', 'warn', 'error'],
      default: 'info',
      description: 'Log level.',
    },
  },
} as const satisfies JSONSchema;

/** `with` of core.log, defaults filled in by the engine. */
export type LogInput = FromSchema<typeof logInput>;

/** `core.log`: writes a message to the run log (and the terminal / NDJSON stream). */
export default definePlugin<LogInput, Record<string, never>>({
  id: 'core.log',
  version: '1.0.0',
  description: 'Write a message to the run log',
  input: logInput,
  output: { type: 'object', description: 'Nothing.', properties: {}, additionalProperties: false },
  config: coreConfigSchema,
  effect: false,
  // a cache hit would swallow the message: log on every run
  pure: false,
  run(ctx, input) {
    ctx.log[input.level](formatMessage(input.message));
    return {};
  },
});

export function formatMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message === undefined) return '';
  try {
    return JSON.stringify(message) ?? String(message);
  } catch {
    return String(message);
  }
}
