/**
 * The pipelines the API offers: every `*.yaml` under the project's `pipelines/` folder and the
 * folders `serve.pipelines` adds, resolved by the engine's own loader (so a pipeline lists
 * exactly as `mpv2 validate` sees it), and YAML text validated the way `mpv2 validate` does.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isMpv2Error, mpv2Error, type Mpv2Error } from '../errors.js';
import { parsePipelineText } from '../engine/load.js';
import type { InputSpec, ResolvedPipeline } from '../engine/pipeline.js';
import type { Project } from '../engine/project.js';
import { resolveLoaded } from '../engine/resolve.js';
import { loadPipeline } from '../engine/run.js';
import { resolveInside, resolveStepPath } from '../infra/paths.js';
import { pipelineProblems, type PipelineProblem } from './problem.js';

export interface PipelineEntry {
  /** The path under its folder without `.yaml`, e.g. `shorts/daily`. */
  id: string;
  /** The file relative to the project root. */
  file: string;
  name: string;
  description?: string;
  /** The pipeline's `inputs` as one JSON Schema object. */
  inputs: InputsSchema;
  valid: boolean;
  /** Why the file does not load (when `valid` is false). */
  problems?: PipelineProblem[];
}

export interface InputsSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required: string[];
  additionalProperties: false;
}

const PIPELINE_FILE = /\.ya?ml$/;

/** The pipeline inputs as a JSON Schema (each input's own schema holds its type, default, enum, …). */
export function inputsSchema(inputs: Record<string, InputSpec>): InputsSchema {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(inputs)) properties[name] = { ...spec.schema, ...(spec.description && { description: spec.description }) };
  return { type: 'object', properties, required: Object.entries(inputs).filter(([, s]) => s.required).map(([n]) => n), additionalProperties: false };
}

/** Absolute folders holding pipelines: `pipelines/` first, then the configured ones (inside the project or `paths.allow`). */
export function pipelineFolders(project: Project): string[] {
  const sandbox = { root: project.root, allow: project.config.values.paths.allow };
  const configured = project.config.values.serve.pipelines;
  return [join(project.root, 'pipelines'), ...configured.map((f) => resolveInside(sandbox, project.root, f, 'serve.pipelines'))];
}

/** Every pipeline file, by id; a folder listed earlier wins an id both hold. */
export function pipelineFiles(project: Project): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of pipelineFolders(project)) {
    for (const abs of walk(dir)) {
      const id = relative(dir, abs).replace(PIPELINE_FILE, '').split(sep).join('/');
      if (!out.has(id)) out.set(id, abs);
    }
  }
  return out;
}

function walk(dir: string): string[] {
  let names: string[];
  try { names = readdirSync(dir).sort(); } catch { return []; }
  const out: string[] = [];
  for (const n of names) {
    if (n.startsWith('.') || n === 'node_modules') continue;
    const abs = join(dir, n);
    const st = statSync(abs, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...walk(abs));
    else if (st?.isFile() && PIPELINE_FILE.test(n)) out.push(abs);
  }
  return out;
}

function entry(project: Project, id: string, p: ResolvedPipeline): PipelineEntry {
  return { id, file: relative(project.root, p.file), name: p.name, ...(p.description && { description: p.description }), inputs: inputsSchema(p.inputs), valid: true };
}

async function describe(project: Project, id: string, abs: string): Promise<PipelineEntry> {
  try {
    return entry(project, id, await loadPipeline(project, project.root, abs));
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { id, file: relative(project.root, abs), name: id, inputs: inputsSchema({}), valid: false, problems: pipelineProblems(e) };
  }
}

export async function listPipelines(project: Project): Promise<PipelineEntry[]> {
  const out: PipelineEntry[] = [];
  for (const [id, abs] of pipelineFiles(project)) out.push(await describe(project, id, abs));
  return out;
}

export async function getPipeline(project: Project, id: string): Promise<PipelineEntry> {
  const abs = pipelineFiles(project).get(id);
  if (!abs) throw mpv2Error('E_NOT_FOUND', `no pipeline with id "${id}"`, { hint: 'GET /api/pipelines lists the pipelines and their ids' });
  return describe(project, id, abs);
}

/**
 * The file a run names: a pipeline id, or a path inside the project (checked by the engine's
 * loader when the run starts). Returned absolute.
 */
export function pipelineFileFor(project: Project, ref: string): string {
  const byId = pipelineFiles(project).get(ref.replace(PIPELINE_FILE, ''));
  if (byId && !PIPELINE_FILE.test(ref)) return byId;
  // a path: a YAML file a step could read (never .env, .mpv2/, config files), so an error
  // about a file that is no pipeline cannot quote what such a file holds
  if (!PIPELINE_FILE.test(ref)) throw mpv2Error('E_NOT_FOUND', `no pipeline with id "${ref}"`, { hint: 'GET /api/pipelines lists the pipelines and their ids; a file path must end in .yaml or .yml' });
  return resolveStepPath({ root: project.root, allow: project.config.values.paths.allow }, project.root, ref, { field: 'pipeline' });
}

/**
 * Checks YAML text as `mpv2 validate` checks a file: the same problems, lines and columns.
 * `file` (a path in the project) places the text, so its relative paths and the problems'
 * file name are those of that file; default `pipelines/untitled.yaml`.
 */
export async function validatePipelineText(project: Project, text: string, file = 'pipelines/untitled.yaml'): Promise<{ valid: boolean; problems: PipelineProblem[] }> {
  const abs = resolveInside({ root: project.root, allow: project.config.values.paths.allow }, project.root, file, 'file');
  const display = relative(project.root, abs) || abs;
  try {
    const loaded = parsePipelineText(text, display.startsWith('..') ? abs : display);
    await resolveLoaded(loaded, { file: abs, root: project.root, registry: project.registry, configLimits: project.config.values.limits });
    // as `mpv2 validate`: the config sections of the plugins it loaded are checked too
    await project.refreshConfig();
    return { valid: true, problems: [] };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { valid: false, problems: pipelineProblems(e as Mpv2Error) };
  }
}
