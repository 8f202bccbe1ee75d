import { definePlugin } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { formatDuration } from 'mpv2/plugin';
import { coreConfigSchema } from './config.js';
import { abortableSleep } from 'mpv2/plugin';

export const waitInput = {
  type: 'object',
  required: ['seconds'],
  additionalProperties: false,
  properties: {
    seconds: { type: 'number', minimum: 0, maximum: 86_400, description: 'Seconds to wait (0 to 86400, fractions allowed).' },
  },
} as const satisfies JSONSchema;

/** `with` of core.wait. */
export type WaitInput = FromSchema<typeof waitInput>;

export const waitOutput = {
  type: 'object',
  required: ['waitedMs'],
  additionalProperties: false,
  properties: { waitedMs: { type: 'integer', description: 'Milliseconds actually waited.' } },
} as const satisfies JSONSchema;

/** What core.wait outputs. */
export type WaitOutput = FromSchema<typeof waitOutput>;

/** `core.wait`: pauses the step (e.g. between posts), honouring Ctrl-C and step timeouts. */
export default definePlugin<WaitInput, WaitOutput>({
  id: 'core.wait',
  version: '1.0.0',
  description: 'Wait a number of seconds (interruptible; reports progress once a second)',
  input: waitInput,
  output: waitOutput,
  config: coreConfigSchema,
  effect: false,
  // a cached wait would not wait
  pure: false,
  async run(ctx, input) {
    const ms = Math.round(input.seconds * 1000);
    const total = formatDuration(ms);
    const waitedMs = await abortableSleep(ms, ctx.signal, (elapsed) => {
      ctx.progress({ fraction: Math.min(1, elapsed / ms), message: `waited ${formatDuration(elapsed)} of ${total}` });
    });
    if (ms > 0) ctx.progress({ fraction: 1, message: `waited ${total}` });
    return { waitedMs };
  },
});
