/**
 * A step's `with` as `run` gets it, for tests that call a plugin's `run` directly: a copy of
 * `given` with the input schema's defaults filled by the engine's own ajv. It is not checked:
 * tests give invalid inputs on purpose to see what `run` does with them.
 */
import { compileSchema } from '../../src/infra/ajv.js';

export function withDefaults<T>(schema: object, given: Record<string, unknown>): T {
  const input = structuredClone(given);
  compileSchema(schema, true)(input);
  return input as T;
}
