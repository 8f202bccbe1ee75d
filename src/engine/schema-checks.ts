/** Static checks of `with` against a plugin's input schema and of output references. */
import type { LoadedPlugin, JSONSchema } from '../plugin/types.js';
import { compileSchema, describeAjvErrors, pointerToPath } from '../infra/ajv.js';
import { didYouMean } from '../infra/suggest.js';

type Path = Array<string | number>;

function expressionPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (typeof value === 'string' && value.includes('${{')) out.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => expressionPaths(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expressionPaths(v, [...path, k], out);
  return out;
}

const startsWith = (p: Path, prefix: Path) => prefix.length <= p.length && prefix.every((s, i) => String(p[i]) === String(s));

/** Errors in `with` wherever it is not an expression (expressions are checked at run time). */
export function checkStaticWith(plugin: LoadedPlugin, withValue: Record<string, unknown>): Array<{ path: Path; message: string; key?: boolean }> {
  if (!plugin.def.input) return [];
  const validate = compileSchema(plugin.def.input);
  const data = structuredClone(withValue);
  if (validate(data)) return [];
  const exprPaths = expressionPaths(withValue);
  const errors = (validate.errors ?? []).filter((e) => {
    const p = pointerToPath(e.instancePath);
    return !exprPaths.some((x) => startsWith(p, x));
  });
  return describeAjvErrors(errors, withValue, ['with']);
}

/** The output schema a step will have, computed from the static parts of its `with` where the plugin can. */
export function outputSchemaOf(plugin: LoadedPlugin, withValue: Record<string, unknown>): JSONSchema | undefined {
  if (plugin.def.outputSchema) {
    try {
      // expression strings are passed as written: the plugin treats them as unknown values
      const s = plugin.def.outputSchema(withValue);
      if (s) return s;
    } catch { /* fall back to the declared schema */ }
  }
  return plugin.def.output;
}

/** Checks `steps.x.outputs.<path>` against the schema; returns a problem or undefined. */
export function checkOutputRef(plugin: LoadedPlugin, withValue: Record<string, unknown>, foreach: boolean, path: Path): string | undefined {
  let schema: JSONSchema | undefined = outputSchemaOf(plugin, withValue);
  if (foreach) {
    if (path.length === 0) return undefined;
    if (typeof path[0] === 'string') return `the step runs \`foreach\`, so its outputs are a list of item outputs; index it (\`outputs[0].${path[0]}\`) or pass the whole list`;
    path = path.slice(1);
  }
  const walked: Path = [];
  for (const seg of path) {
    if (!schema) return undefined;
    const s = schema as { type?: unknown; properties?: Record<string, JSONSchema>; additionalProperties?: unknown; items?: JSONSchema };
    if (typeof seg === 'number' || s.type === 'array') {
      if (s.items && typeof s.items === 'object') { schema = s.items; walked.push(seg); continue; }
      return undefined;
    }
    if (!s.properties) return undefined;
    if (seg in s.properties) { schema = s.properties[seg]; walked.push(seg); continue; }
    if (s.additionalProperties === true || typeof s.additionalProperties === 'object') return undefined;
    const keys = Object.keys(s.properties);
    const where = walked.length ? `outputs.${walked.join('.')}` : 'its outputs';
    return `${plugin.def.id} has no "${seg}" in ${where}${didYouMean(String(seg), keys)}; it has: ${keys.join(', ') || '(nothing)'}`;
  }
  return undefined;
}
