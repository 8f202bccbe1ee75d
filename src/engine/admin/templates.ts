/**
 * The pipelines shipped with mpv2 as templates for `mpv2 init --template <name>`: a template is
 * one YAML file under mpv2's `pipelines/` folder (its name is the path without `.yaml`) with the
 * files it names next to it (prompts, bodies, lead lists), copied into a project's `pipelines/`
 * so that the same relative paths hold there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import { mpv2Error } from '../../errors.js';
import { PACKAGE_ROOT } from '../../infra/package-root.js';

const SHIPPED = join(PACKAGE_ROOT, 'pipelines');

export interface Template {
  /** `youtube-short`, `examples/afm-products`. */
  name: string;
  /** The pipeline's `description` (or `name`), for the listing. */
  description: string;
}

function yamlFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'prompts' ? [] : yamlFiles(join(dir, e.name), `${prefix}${e.name}/`);
    return e.name.endsWith('.yaml') ? [`${prefix}${e.name.slice(0, -'.yaml'.length)}`] : [];
  }).sort();
}

/** Every shipped pipeline, by name (YAML files beside them that hold data, not `steps`, are not templates). */
export function listTemplates(): Template[] {
  return yamlFiles(SHIPPED).flatMap((name) => {
    const doc = parseDocument(readFileSync(join(SHIPPED, `${name}.yaml`), 'utf8')).toJS() as { name?: string; description?: string; steps?: unknown } | null;
    if (!Array.isArray(doc?.steps)) return [];
    return [{ name, description: String(doc.description ?? doc.name ?? '').split('\n')[0]!.trim() }];
  });
}

const isInside = (dir: string, p: string): boolean => {
  const rel = relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * The files of template `name`, relative to the `pipelines/` folder: the pipeline, then every
 * file it names by a relative path that exists beside it in mpv2's `pipelines/` folder.
 */
export function templateFiles(name: string): Array<{ rel: string; text: string }> {
  const known = listTemplates().map((t) => t.name);
  if (!known.includes(name)) {
    throw mpv2Error('E_USAGE', `there is no template "${name}"`, { hint: `the templates are: ${known.join(', ')}` });
  }
  const file = join(SHIPPED, `${name}.yaml`);
  const text = readFileSync(file, 'utf8');
  const named = new Set<string>();
  visit(parseDocument(text), {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== 'string' || node.value.includes('${{')) return;
      const abs = resolve(dirname(file), node.value);
      if (isInside(SHIPPED, abs) && abs !== file && existsSync(abs) && statSync(abs).isFile()) named.add(abs);
    },
  });
  return [
    { rel: `${name}.yaml`, text },
    ...[...named].sort().map((abs) => ({ rel: relative(SHIPPED, abs).split(sep).join('/'), text: readFileSync(abs, 'utf8') })),
  ];
}
