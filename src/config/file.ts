/**
 * Finds and reads the config file with cosmiconfig (module name `mpv2`), searching each
 * folder from the current one up to the project root. YAML and JSON go through the `yaml`
 * package so errors and wrong values can point at a line and column.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import { mpv2Error } from '../errors.js';
import { parseYamlData, PROTOTYPE_KEYS } from '../infra/yaml.js';
import { indexPositions, type PositionIndex } from './positions.js';
import { CONFIG_FILE_NAMES } from './project.js';
import { isPlainObject, type PlainObject } from './schema-walk.js';

export interface ConfigFile {
  /** Absolute path. */
  file: string;
  /** Path relative to the project root, for messages and origins. */
  relative: string;
  values: PlainObject;
  /** Line/column lookup (YAML and JSON files only). */
  positions?: PositionIndex;
}

/** YAML and JSON config: plain JSON data only (see src/infra/yaml.ts), errors at their line and column. */
const loadYamlOrJson: Loader = (filepath, content) => {
  const { data, problems } = parseYamlData(content, { forbiddenKeys: PROTOTYPE_KEYS });
  const err = problems[0];
  if (err) {
    throw mpv2Error('E_CONFIG_INVALID', `${basename(filepath)}:${err.line}:${err.column}: ${err.message}`, {
      loc: { file: filepath, line: err.line, column: err.column },
      hint: err.hint ?? 'fix the syntax; docs/config.md has examples of every format',
    });
  }
  return data;
};

/** The folders searched: from `cwd` up to `root` (just `root` when `cwd` is outside it). */
function searchDirs(cwd: string, root: string): string[] {
  const rel = relative(root, cwd);
  if (rel.startsWith('..') || resolve(root, rel) !== cwd) return [root];
  const dirs: string[] = [];
  let dir = cwd;
  for (;;) {
    dirs.push(dir);
    if (dir === root || !dir.startsWith(root + sep)) break;
    dir = dirname(dir);
  }
  return dirs;
}

export async function findConfigFile(cwd: string, root: string): Promise<ConfigFile | undefined> {
  const explorer = cosmiconfig('mpv2', {
    searchPlaces: [...CONFIG_FILE_NAMES],
    // 'none' looks in one folder; we walk the folders ourselves so the search stops at the root
    searchStrategy: 'none',
    cache: false,
    loaders: { ...defaultLoaders, '.json': loadYamlOrJson, '.yaml': loadYamlOrJson, '.yml': loadYamlOrJson, noExt: loadYamlOrJson },
  });
  for (const dir of searchDirs(resolve(cwd), root)) {
    let result;
    try {
      result = await explorer.search(dir);
    } catch (e) {
      if ((e as { code?: string }).code === 'E_CONFIG_INVALID') throw e;
      const file = (e as { filepath?: string }).filepath;
      throw mpv2Error('E_CONFIG_INVALID', `cannot load ${file ? relative(root, file) : 'the config file'}: ${(e as Error).message}`, {
        cause: e, loc: file ? { file } : undefined, hint: 'a JS config file must `export default` an object (see docs/config.md)',
      });
    }
    if (!result || result.isEmpty) continue;
    return toConfigFile(result.filepath, result.config, root);
  }
  return undefined;
}

function toConfigFile(file: string, config: unknown, root: string): ConfigFile {
  const rel = relative(root, file) || basename(file);
  if (typeof config === 'function') {
    throw mpv2Error('E_CONFIG_INVALID', `${rel}: the default export is a function; export the config object itself`, {
      loc: { file }, hint: 'write `export default defineConfig({ ... })` (docs/config.md)',
    });
  }
  if (!isPlainObject(config)) {
    throw mpv2Error('E_CONFIG_INVALID', `${rel}: the config must be an object of settings (got ${Array.isArray(config) ? 'a list' : typeof config})`, {
      loc: { file }, hint: 'see .mpv2rc.example and docs/config.md',
    });
  }
  const { $schema: _schema, ...values } = config;
  const isText = !/\.(c|m)?js$/.test(file);
  const positions = isText ? indexPositions(readFileSync(file, 'utf8'), basename(file) === 'package.json' ? ['mpv2'] : []) : undefined;
  return { file, relative: rel, values: dropNulls(values) as PlainObject, positions };
}

/** `queue:` with only comments under it reads as null in YAML: treat it as not set. */
function dropNulls(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const out: PlainObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw mpv2Error('E_CONFIG_INVALID', `config key "${k}" is not allowed`);
    if (x !== null) out[k] = dropNulls(x);
  }
  return out;
}
