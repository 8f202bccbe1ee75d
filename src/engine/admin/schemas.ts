/** `mpv2 schema pipeline|config`: the JSON Schemas editors use for pipelines and config files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot } from '../../config/project.js';
import { configSchemaForFile, writeSchemaFile } from '../../config/schema.js';
import { isMpv2Error } from '../../errors.js';
import { PACKAGE_ROOT } from '../../infra/package-root.js';
import { PluginRegistry } from '../../plugin/registry.js';
import { openProject, pluginSchemas } from '../project.js';

export function pipelineSchemaText(): string {
  return readFileSync(join(PACKAGE_ROOT, 'schemas', 'pipeline.schema.json'), 'utf8');
}

export interface ConfigSchemaResult {
  text: string;
  /** Set when the project's config is invalid: the schema then lacks plugins listed under `plugins:`. */
  warning?: string;
}

/**
 * The config schema with a section for every loaded plugin namespace (built-in, discovered
 * and listed in the config). Works on a project whose config is invalid too: that is when the
 * schema is needed most.
 */
export async function configSchema(o: { cwd: string; project?: string; env?: NodeJS.ProcessEnv; out?: string }): Promise<ConfigSchemaResult> {
  let schemas;
  let warning: string | undefined;
  try {
    const project = await openProject({ cwd: o.cwd, project: o.project, env: o.env });
    schemas = pluginSchemas(project.registry);
    project.close();
  } catch (e) {
    if (!isMpv2Error(e) || e.code !== 'E_CONFIG_INVALID') throw e;
    const registry = await PluginRegistry.create({ root: findProjectRoot(o.cwd, o.project) });
    await registry.loadAll();
    schemas = pluginSchemas(registry);
    warning = 'the project config is invalid, so plugins listed under `plugins:` are not in this schema (`mpv2 doctor` shows the problem)';
  }
  if (o.out) writeSchemaFile(o.out, schemas);
  return { text: configSchemaForFile(schemas), ...(warning && { warning }) };
}
