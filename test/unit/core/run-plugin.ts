/**
 * Runs a plugin the way the engine does: `with` validated against the input schema and
 * filled with defaults by the engine's own check before `run`. Invalid input throws
 * E_PLUGIN_INPUT_INVALID, as in a run.
 */
import type { PluginDef, StepContext } from 'mpv2/plugin';
import { checkStepInput } from '../../../src/engine/step-io.js';

function prepareInput<I>(plugin: PluginDef<I>, input: Record<string, unknown>): I {
  const copy = structuredClone(input);
  checkStepInput(plugin, copy, 'step');
  return copy as I;
}

export async function runPlugin<I, O>(plugin: PluginDef<I, O>, ctx: StepContext, input: Record<string, unknown>): Promise<O> {
  return plugin.run(ctx, prepareInput(plugin, input));
}
