/**
 * Runs a plugin the way the engine does: `with` validated against the input schema by
 * ajv (useDefaults, no type coercion) before `run`. Invalid input throws, like the engine.
 */
import { Ajv } from 'ajv';
import type { PluginDef, StepContext } from '../../../src/plugin/types.js';

const ajv = new Ajv({ useDefaults: true, coerceTypes: false, allErrors: true, strict: false });
ajv.addFormat('path', true);

export function prepareInput<I>(plugin: PluginDef<I>, input: Record<string, unknown>): I {
  const copy = structuredClone(input);
  const validate = ajv.compile(plugin.input ?? {});
  if (!validate(copy)) {
    throw new Error(`invalid input for ${plugin.id}: ${ajv.errorsText(validate.errors)}`);
  }
  return copy as I;
}

export async function runPlugin<I, O>(plugin: PluginDef<I, O>, ctx: StepContext, input: Record<string, unknown>): Promise<O> {
  return plugin.run(ctx, prepareInput(plugin, input));
}
