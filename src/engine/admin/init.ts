/**
 * `mpv2 init`: a config file, a first pipeline, `.env.example`, and `.mpv2/` + `.env` in
 * `.gitignore`. An existing file is never overwritten without `force`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from '../../config/project.js';
import { mpv2Error } from '../../errors.js';
import { PACKAGE_ROOT } from '../../infra/package-root.js';
import { configTemplate, envExample, helloPipeline } from './init-templates.js';
import { templateFiles } from './templates.js';

export interface InitResult {
  dir: string;
  /** Files written (relative to `dir`). */
  created: string[];
  overwritten: string[];
  skipped: Array<{ file: string; reason: string }>;
  gitignore: 'created' | 'appended' | 'unchanged';
}

/**
 * mpv2's schemas folder as a `$schema` reference from a file in `fromDir`: relative when mpv2
 * is installed inside the project (node_modules/mpv2), else absolute (a global install).
 */
function schemaRef(projectDir: string, fromDir: string): string {
  const schemas = join(PACKAGE_ROOT, 'schemas');
  const underProject = !relative(projectDir, schemas).startsWith('..') && !isAbsolute(relative(projectDir, schemas));
  return (underProject ? relative(fromDir, schemas) : schemas).split(sep).join('/');
}

/** Another config file (or package.json#mpv2) already configures this folder. */
function otherConfig(dir: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const p = join(dir, name);
    if (name === '.mpv2rc.yaml' || !existsSync(p)) continue;
    if (name !== 'package.json') return name;
    try { if ((JSON.parse(readFileSync(p, 'utf8')) as { mpv2?: unknown }).mpv2 !== undefined) return 'package.json#mpv2'; } catch { /* not JSON */ }
  }
  return undefined;
}

const IGNORED = ['.mpv2/', '.env'];

function updateGitignore(dir: string): InitResult['gitignore'] {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) {
    writeFileSync(file, `# mpv2: run state, cache and artifacts; local secrets\n${IGNORED.join('\n')}\n`);
    return 'created';
  }
  const text = readFileSync(file, 'utf8');
  const lines = new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\//, '')));
  const missing = IGNORED.filter((e) => !lines.has(e) && !lines.has(e.replace(/\/$/, '')));
  if (missing.length === 0) return 'unchanged';
  writeFileSync(file, `${text}${text.length && !text.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`);
  return 'appended';
}

/** A shipped pipeline's editor `$schema` comment pointed at the schemas as seen from the project. */
const withSchemaRef = (text: string, ref: string): string =>
  text.replace(/^(# yaml-language-server: \$schema=)\S+/, `$1${ref}/pipeline.schema.json`);

export interface InitOptions {
  force?: boolean;
  /** Environment variables the plugin namespaces declare, for .env.example. */
  variables?: string[];
  /** A shipped pipeline (`youtube-short`) to write, with the files it names, instead of hello.yaml. */
  template?: string;
}

export function initProject(dir: string, opts: InitOptions = {}): InitResult {
  const result: InitResult = { dir, created: [], overwritten: [], skipped: [], gitignore: 'unchanged' };
  // an unknown template is a usage error before anything is written
  const pipelines: Array<[string, (fileDir: string) => string]> = opts.template
    ? templateFiles(opts.template).map((f) => [join('pipelines', ...f.rel.split('/')), (d) => (f.rel.endsWith('.yaml') ? withSchemaRef(f.text, schemaRef(dir, d)) : f.text)])
    : [[join('pipelines', 'hello.yaml'), (d) => helloPipeline(schemaRef(dir, d))]];
  try {
    mkdirSync(dir, { recursive: true });
    const files: Array<[string, (fileDir: string) => string]> = [
      ['.mpv2rc.yaml', (d) => configTemplate(schemaRef(dir, d))],
      ...pipelines,
      ['.env.example', () => envExample(opts.variables ?? [])],
    ];
    const other = otherConfig(dir);
    for (const [rel, make] of files) {
      const abs = join(dir, rel);
      const exists = existsSync(abs);
      if (rel === '.mpv2rc.yaml' && other && !opts.force) {
        result.skipped.push({ file: rel, reason: `${other} already configures this project` });
        continue;
      }
      if (exists && !opts.force) {
        result.skipped.push({ file: rel, reason: 'exists (use --force to overwrite)' });
        continue;
      }
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, make(dirname(abs)));
      (exists ? result.overwritten : result.created).push(rel);
    }
    result.gitignore = updateGitignore(dir);
  } catch (e) {
    throw mpv2Error('E_FILE', `cannot write the project files in ${dir}: ${(e as Error).message}`, { cause: e, hint: 'check the folder permissions' });
  }
  return result;
}

/** The environment variables every plugin namespace (built-in, and the project's packages) declares. */
export async function namespaceVariables(root: string): Promise<string[]> {
  const { PluginRegistry } = await import('../../plugin/registry.js');
  const { namespaceEnv } = await import('../../config/namespaces.js');
  const registry = await PluginRegistry.create({ root });
  await registry.loadAll();
  const { env } = namespaceEnv(registry.namespaces().map((n) => n.def));
  return [...new Set([...env.paths.map((p) => p.variable), ...env.secrets])];
}
