import { definePlugin } from 'mpv2/plugin';
import { coreConfigSchema } from './config.js';
import { schemaOfMapping } from './schema-of.js';

/**
 * `core.set`: names values so later steps can read them as `steps.<id>.outputs.<key>`.
 * The engine evaluates expressions in `with` before `run`, so the outputs are the input.
 */
export default definePlugin<Record<string, unknown>, Record<string, unknown>>({
  id: 'core.set',
  version: '1.0.0',
  description: 'Set named values (outputs are exactly the `with` mapping, expressions evaluated)',
  input: {
    type: 'object',
    description: 'Any mapping; each key becomes an output of the step.',
  },
  output: { type: 'object', description: 'The `with` mapping, expressions evaluated.' },
  outputSchema: (staticWith) => schemaOfMapping(staticWith ?? {}),
  config: coreConfigSchema,
  effect: false,
  pure: true,
  run(_ctx, input) {
    return input;
  },
});
