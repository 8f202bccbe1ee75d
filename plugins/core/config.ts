import type { JSONSchema } from 'mpv2/plugin';

/**
 * Config section shared by the built-in utility plugins (`core.*`, `file.*`).
 * They need no settings or secrets today; the schema exists so `mpv2 config show` and the
 * config validator know the sections, and stays open so later settings do not break users.
 * `http.request` has none: the `http` section is the shared HTTP client's (src/config/schema.ts).
 */
export const coreConfigSchema: JSONSchema = {
  type: 'object',
  description: 'Settings of the built-in utility plugins (core.*, file.*). None are needed today.',
  properties: {},
  additionalProperties: true,
};

/** True when a value written in `with` is (or contains) an expression the engine evaluates later. */
export function hasExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${{');
}
