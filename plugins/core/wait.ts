import { definePlugin } from 'mpv2/plugin';
import { formatDuration } from 'mpv2/plugin';
import { coreConfigSchema } from './config.js';
import { abortableSleep } from 'mpv2/plugin';

export interface WaitInput {
  /** Seconds to wait, 0 to 86400. */
  seconds: number;
}

/** `core.wait`: pauses the step (e.g. between posts), honouring Ctrl-C and step timeouts. */
export default definePlugin<WaitInput, { waitedMs: number }>({
  id: 'core.wait',
  version: '1.0.0',
  description: 'Wait a number of seconds (interruptible; reports progress once a second)',
  input: {
    type: 'object',
    required: ['seconds'],
    additionalProperties: false,
    properties: {
      seconds: { type: 'number', minimum: 0, maximum: 86_400, description: 'Seconds to wait (0 to 86400, fractions allowed).' },
    },
  },
  output: {
    type: 'object',
    required: ['waitedMs'],
    additionalProperties: false,
    properties: { waitedMs: { type: 'integer', description: 'Milliseconds actually waited.' } },
  },
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
