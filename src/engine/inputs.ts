/** `--input k=v` parsing and checking against the pipeline's declared inputs. */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isMpv2Error, Mpv2Error, mpv2Error } from '../errors.js';
import { parseYamlData, PROTOTYPE_KEYS } from '../infra/yaml.js';
import { didYouMean } from '../infra/suggest.js';
import { compileSchema, describeAjvErrors } from '../infra/ajv.js';
import { ErrorList } from './error-list.js';
import { decodeText, MAX_PIPELINE_BYTES, readCapped } from './load.js';
import type { InputSpec } from './pipeline.js';

/** `--input name=@file` reads at most this much (the pipeline file cap): inputs are journaled with the run. */
export const MAX_INPUT_FILE_BYTES = MAX_PIPELINE_BYTES;

/** Reads an `@file` input value: a UTF-8 text file within the size cap, or E_INPUT_INVALID. */
export function readInputFile(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw mpv2Error('E_INPUT_INVALID', code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (st.isDirectory()) throw mpv2Error('E_INPUT_INVALID', `${path} is a folder, not a file`);
  const tooLarge = (size: string) => mpv2Error('E_INPUT_INVALID', `${path} is ${size}; input files are capped at ${MAX_INPUT_FILE_BYTES / 1048576} MB`, {
    hint: 'pass the path as a string input and read the file in a step that reads files',
  });
  if (st.size > MAX_INPUT_FILE_BYTES) throw tooLarge(`${(st.size / 1048576).toFixed(1)} MB`);
  // `@/dev/stdin` works; `@/dev/zero` stops at the cap
  const bytes = readCapped(path, MAX_INPUT_FILE_BYTES);
  if (!bytes) throw tooLarge('larger than that');
  const text = decodeText(bytes, path, 'E_INPUT_INVALID');
  // a BOM is an encoding mark, not part of the value (file.read drops it too)
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `name=value`: kept as a string for string inputs, else parsed as YAML (so `n=3`, `tags=[a,b]`
 * work); `name=@file.yaml` reads the value from a file (relative to the current folder).
 */
export function parseInputArgs(args: string[], specs: Record<string, InputSpec>, cwd: string, readFile: (p: string) => string = readInputFile): Record<string, unknown> {
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
    // own keys only: `constructor` or `__proto__` must not find Object.prototype's
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const declared = Object.keys(specs);
      errors.add(mpv2Error('E_INPUT_UNKNOWN', `input "${name}" is not declared by the pipeline${didYouMean(name, declared)}`, {
        hint: declared.length ? `it declares: ${declared.join(', ')}` : 'it declares no inputs; add them under `inputs:`',
      }));
      continue;
    }
    let from: string | undefined;
    if (raw.startsWith('@')) {
      from = raw.slice(1);
      try { raw = readFile(isAbsolute(from) ? from : resolve(cwd, from)); } catch (e) {
        errors.add(mpv2Error('E_INPUT_INVALID', `input "${name}": ${isMpv2Error(e) ? e.message : `cannot read ${from}: ${(e as Error).message}`}`, {
          cause: e, loc: isMpv2Error(e) ? e.loc : undefined,
          hint: (isMpv2Error(e) && e.hint) || `name=@file reads the value from a file, relative to the current folder (${cwd})`,
        }));
        continue;
      }
    }
    if (spec.type === 'string') { out[name] = raw; continue; }
    const parsed = parseYamlData(raw, { forbiddenKeys: PROTOTYPE_KEYS });
    for (const p of parsed.problems) {
      errors.add(mpv2Error('E_INPUT_INVALID', `input "${name}"${from ? '' : `, column ${p.column} of the value`}: ${p.message}`, {
        loc: from ? { file: from, line: p.line, column: p.column } : undefined,
        hint: p.hint ?? `the value of a ${spec.type} input is read as YAML (JSON works too)`,
      }));
    }
    if (parsed.problems.length === 0) out[name] = parsed.data;
  }
  errors.throwIfAny();
  return out;
}

/** Fills defaults and checks every input against its declaration. */
export function checkInputs(given: Record<string, unknown>, specs: Record<string, InputSpec>): Record<string, unknown> {
  const errors = new ErrorList();
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(specs, name)) errors.add(mpv2Error('E_INPUT_UNKNOWN', `input "${name}" is not declared by the pipeline${didYouMean(name, Object.keys(specs))}`));
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
