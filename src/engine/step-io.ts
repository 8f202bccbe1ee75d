/**
 * The checks around one plugin call, shared by the engine and `mpv2/testing`: `with` against the
 * plugin's input schema (ajv, defaults filled in place) and the outputs against its output schema.
 */
import { mpv2Error, type SourceLocation } from '../errors.js';
import { compileSchema, describeAjvErrors } from '../infra/ajv.js';
import type { JSONSchema, PluginDef } from '../plugin/types.js';

/** Validates `input` in place, filling the schema's defaults; E_PLUGIN_INPUT_INVALID names every problem. */
export function checkStepInput(def: PluginDef, input: Record<string, unknown>, stepId: string, loc?: SourceLocation): void {
  if (!def.input) return;
  const validate = compileSchema(def.input, true);
  if (validate(input)) return;
  const problems = describeAjvErrors(validate.errors ?? [], input, ['with']).map((d) => d.message);
  throw mpv2Error('E_PLUGIN_INPUT_INVALID', `step "${stepId}" (${def.id}): ${problems.join('; ')}`, {
    step: stepId, plugin: def.id, loc,
    hint: `\`mpv2 schema plugin ${def.id}\` lists its inputs`,
  });
}

/** E_PLUGIN_OUTPUT_INVALID when `outputs` do not match `schema` (the plugin's, or the one its `outputSchema` computed). */
export function checkStepOutputs(def: PluginDef, schema: JSONSchema | undefined, outputs: unknown, stepId: string): void {
  if (!schema) return;
  const validate = compileSchema(schema);
  if (validate(outputs)) return;
  const problems = describeAjvErrors(validate.errors ?? [], outputs, ['outputs']).map((d) => d.message);
  throw mpv2Error('E_PLUGIN_OUTPUT_INVALID', `${def.id} returned outputs that do not match its output schema: ${problems.join('; ')}`, { step: stepId, plugin: def.id, hint: 'this is a bug in the plugin; report it to its author' });
}
