/** `--input k=v` parsing and checking against the pipeline's declared inputs. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Mpv2Error, mpv2Error } from '../errors.js';
import { didYouMean } from '../infra/suggest.js';
import { compileSchema, describeAjvErrors } from '../infra/ajv.js';
import { ErrorList } from './error-list.js';
import type { InputSpec } from './pipeline.js';

/**
 * `name=value`: kept as a string for string inputs, else parsed as YAML (so `n=3`, `tags=[a,b]`
 * work); `name=@file.yaml` reads the value from a file (relative to the current folder).
 */
export function parseInputArgs(args: string[], specs: Record<string, InputSpec>, cwd: string, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const errors = new ErrorList();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      errors.add(mpv2Error('E_USAGE', `--input expects name=value, got ${JSON.stringify(arg)}`, { hint: 'e.g. --input topic="Why cats purr"' }));
      continue;
    }
    const name = arg.slice(0, eq);
    let raw = arg.slice(eq + 1);
    const spec = specs[name];
    if (!spec) {
      const declared = Object.keys(specs);
      errors.add(mpv2Error('E_INPUT_UNKNOWN', `input "${name}" is not declared by the pipeline${didYouMean(name, declared)}`, {
        hint: declared.length ? `it declares: ${declared.join(', ')}` : 'it declares no inputs; add them under `inputs:`',
      }));
      continue;
    }
    if (raw.startsWith('@')) {
      try { raw = readFile(raw.slice(1).startsWith('/') ? raw.slice(1) : `${cwd}/${raw.slice(1)}`); } catch (e) {
        errors.add(mpv2Error('E_FILE', `cannot read input "${name}" from ${raw.slice(1)}: ${(e as Error).message}`));
        continue;
      }
      if (spec.type === 'string') { out[name] = raw; continue; }
    }
    if (spec.type === 'string') { out[name] = raw; continue; }
    try { out[name] = parseYaml(raw) as unknown; } catch { out[name] = raw; }
  }
  errors.throwIfAny();
  return out;
}

/** Fills defaults and checks every input against its declaration. */
export function checkInputs(given: Record<string, unknown>, specs: Record<string, InputSpec>): Record<string, unknown> {
  const errors = new ErrorList();
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!specs[name]) errors.add(mpv2Error('E_INPUT_UNKNOWN', `input "${name}" is not declared by the pipeline${didYouMean(name, Object.keys(specs))}`));
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) {
      if (spec.required) errors.add(mpv2Error('E_INPUT_INVALID', `input "${name}" is required${spec.description ? ` (${spec.description})` : ''}`, { hint: `pass it with --input ${name}=…` }));
      continue;
    }
    const validate = compileSchema(spec.schema);
    if (!validate(value)) {
      for (const d of describeAjvErrors(validate.errors ?? [], value, [`inputs.${name}`])) errors.add(new Mpv2Error('E_INPUT_INVALID', d.message));
      continue;
    }
    out[name] = value;
  }
  errors.throwIfAny();
  return out;
}
