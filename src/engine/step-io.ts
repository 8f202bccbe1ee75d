/**
 * One plugin call and the checks around it, shared by the engine and `mpv2/testing`: `with`
 * against the plugin's input schema (ajv, defaults filled in place), the call itself (abandoned
 * when the step is aborted), and the outputs against its output schema.
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

/** Runs the plugin, but stops waiting for it the moment the signal fires (timeout or Ctrl-C). */
export function callPlugin<T>(fn: () => Promise<T> | T, signal: AbortSignal, timedOut: () => number | undefined, stepId: string): Promise<T> {
  const abortError = () => {
    const ms = timedOut();
    return ms !== undefined
      ? mpv2Error('E_TIMEOUT', `step "${stepId}" took longer than its timeout (${ms} ms)`, { retryable: true, step: stepId })
      : mpv2Error('E_ABORTED', `step "${stepId}" was interrupted`, { step: stepId });
  };
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve().then(fn).then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(signal.aborted ? abortError() : e); },
    );
  });
}
