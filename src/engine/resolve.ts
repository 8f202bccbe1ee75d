/**
 * load → schema → semantic checks → ResolvedPipeline. Every problem of the file is collected
 * and reported at once, each with `file:line:col` and, where the fix is known, a hint.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Mpv2Error, isMpv2Error, type SourceLocation } from '../errors.js';
import { parseDuration } from '../infra/duration.js';
import { PACKAGE_ROOT } from '../infra/package-root.js';
import { sha256 } from '../infra/hash.js';
import { didYouMean } from '../infra/suggest.js';
import { LANGUAGE_HINT, canonicalLanguage } from '../infra/language.js';
import { EXAMPLE_PLUGIN, type PluginRegistry } from '../plugin/registry.js';
import type { LoadedPlugin } from '../plugin/types.js';
import { compileSchema, describeAjvErrors, type AjvProblem } from '../infra/ajv.js';
import { ErrorList } from './error-list.js';
import { CONTEXTS, collectRefs, compile, type Compiled } from './expr/index.js';
import { topoOrder } from './graph.js';
import type { LimitSpec } from './limits.js';
import { loadPipelineFile, type LoadedPipelineFile, type PathSeg } from './load.js';
import type { CacheSetting, InputSpec, ResolvedPipeline, ResolvedStep } from './pipeline.js';
import { checkOutputRef, checkStaticWith } from './schema-checks.js';

const PIPELINE_SCHEMA = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'pipeline.schema.json'), 'utf8')) as object;

interface RawStep {
  id: string; name?: string; uses: string; with?: Record<string, unknown>; if?: string | boolean; needs?: string | string[];
  foreach?: string | unknown[]; as?: string; concurrency?: number; retry?: ResolvedStep['retry']; timeout?: string | number;
  cache?: false | string | number; limit?: string; continueOnError?: boolean; approval?: 'required' | 'none'; language?: string;
}
interface RawPipeline {
  name?: string; description?: string; language?: string; inputs?: Record<string, Record<string, unknown>>; env?: Record<string, unknown>;
  limits?: Record<string, LimitSpec>; defaults?: { retry?: ResolvedStep['retry']; timeout?: string | number; continueOnError?: boolean };
  steps: RawStep[]; outputs?: Record<string, unknown>;
}

export interface ResolveOptions {
  file: string;
  root: string;
  registry: PluginRegistry;
  configLimits?: Record<string, LimitSpec>;
}

export async function resolvePipeline(opts: ResolveOptions): Promise<ResolvedPipeline> {
  const display = relative(opts.root, opts.file) || opts.file;
  const loaded = loadPipelineFile(opts.file, display.startsWith('..') ? opts.file : display);
  return resolveLoaded(loaded, opts);
}

export async function resolveLoaded(loaded: LoadedPipelineFile, opts: ResolveOptions): Promise<ResolvedPipeline> {
  const errors = new ErrorList();
  const at = (path: PathSeg[], which: 'value' | 'key' = 'value') => loaded.locate(path, which);
  const data = loaded.data;
  if (typeof data !== 'object' || Array.isArray(data) || data === null) {
    throw new Mpv2Error('E_PIPELINE_SCHEMA', `a pipeline must be a mapping with \`steps:\`, but this file holds ${Array.isArray(data) ? 'a list' : `a ${typeof data}`}`, {
      loc: at([]), hint: 'start the file with `name:` and `steps:`; see docs/pipelines.md',
    });
  }
  const validate = compileSchema(PIPELINE_SCHEMA);
  if (!validate(data)) {
    for (const d of describeAjvErrors(validate.errors ?? [], data)) {
      errors.add(new Mpv2Error('E_PIPELINE_SCHEMA', d.message, { loc: at(d.path, d.key ? 'key' : 'value'), hint: schemaHint(d) }));
    }
    // go on to the checks below when the steps are well-formed enough, so every problem of the
    // file shows at once; anything they trip over is a consequence of the errors above
    if (!stepsUsable(data)) errors.throwIfAny();
    try {
      await checkSemantics(loaded, data as RawPipeline, opts, errors);
    } catch { /* reported through the schema errors */ }
    errors.throwIfAny();
  }
  return checkSemantics(loaded, data as RawPipeline, opts, errors);
}

function stepsUsable(data: object): boolean {
  const steps = (data as { steps?: unknown }).steps;
  return Array.isArray(steps) && steps.every((s) => s && typeof s === 'object' && typeof (s as RawStep).id === 'string' && typeof (s as RawStep).uses === 'string'
    && ((s as RawStep).with === undefined || (typeof (s as RawStep).with === 'object' && (s as RawStep).with !== null && !Array.isArray((s as RawStep).with))));
}

async function checkSemantics(loaded: LoadedPipelineFile, raw: RawPipeline, opts: ResolveOptions, errors: ErrorList): Promise<ResolvedPipeline> {
  const at = (path: PathSeg[], which: 'value' | 'key' = 'value') => loaded.locate(path, which);
  const configLimits = opts.configLimits ?? {};
  const limitNames = new Set([...Object.keys(raw.limits ?? {}), ...Object.keys(configLimits)]);
  const inputs = normalizeInputs(raw.inputs ?? {});
  const stepIds = raw.steps.map((s) => s.id);

  // duplicate ids; the map also answers "is this a step, and where" in constant time
  const seenIds = new Map<string, number>();
  raw.steps.forEach((s, i) => {
    if (seenIds.has(s.id)) errors.add(new Mpv2Error('E_DUPLICATE_STEP', `step id "${s.id}" is used twice (steps ${seenIds.get(s.id)! + 1} and ${i + 1})`, { loc: at(['steps', i, 'id']), hint: 'give every step its own id' }));
    else seenIds.set(s.id, i);
  });

  // plugins
  const plugins = new Map<number, LoadedPlugin>();
  for (const [i, s] of raw.steps.entries()) {
    try { plugins.set(i, await opts.registry.resolve(s.uses)); } catch (e) {
      if (!isMpv2Error(e)) throw e;
      e.loc = at(['steps', i, 'uses']);
      e.step = s.id;
      errors.add(e);
    }
  }

  const compileAt = (value: unknown, path: PathSeg[]): Compiled | undefined => {
    try { return compile(value); } catch (e) {
      if (!isMpv2Error(e)) throw e;
      e.loc = exprLoc(loaded, path, e.details?.offset as number | undefined, findExprPath(value, e));
      errors.add(e);
      return undefined;
    }
  };

  const steps: ResolvedStep[] = [];
  const defaults = raw.defaults ?? {};
  /** A literal tag in canonical form; an unknown one is reported where it is written. */
  const languageAt = (tag: string, path: PathSeg[], step?: string): string | undefined => {
    const canonical = canonicalLanguage(tag);
    if (canonical === undefined) {
      errors.add(new Mpv2Error('E_PIPELINE_SCHEMA', `${step ? `step "${step}" ` : ''}language ${JSON.stringify(tag)} is not a known BCP 47 language tag`, { loc: at(path), ...(step && { step }), hint: LANGUAGE_HINT }));
    }
    return canonical;
  };
  const pipelineLanguage = raw.language === undefined ? undefined : languageAt(raw.language, ['language']);
  for (const [i, s] of raw.steps.entries()) {
    const base: PathSeg[] = ['steps', i];
    const plugin = plugins.get(i);
    const withValue = s.with ?? {};
    const compiledWith = compileAt(withValue, [...base, 'with']);
    const ifC = s.if === undefined ? undefined : compileAt(typeof s.if === 'boolean' ? s.if : wrapBare(s.if), [...base, 'if']);
    const foreachC = s.foreach === undefined ? undefined : compileAt(typeof s.foreach === 'string' ? wrapBare(s.foreach) : s.foreach, [...base, 'foreach']);
    const needs = s.needs === undefined ? [] : Array.isArray(s.needs) ? s.needs : [s.needs];
    const deps = new Set<string>();
    for (const [j, n] of needs.entries()) {
      if (!seenIds.has(n)) errors.add(new Mpv2Error('E_REF_UNKNOWN_STEP', `step "${s.id}" needs "${n}", which is not a step${suggestStep(errors, n, stepIds)}`, { loc: at(Array.isArray(s.needs) ? [...base, 'needs', j] : [...base, 'needs']), step: s.id }));
      else if (n === s.id) errors.add(new Mpv2Error('E_CYCLE', `step "${s.id}" needs itself`, { loc: at([...base, 'needs']), step: s.id }));
      else deps.add(n);
    }
    const languageExpr = s.language?.includes('${{') ? compileAt(s.language, [...base, 'language']) : undefined;
    const language = s.language === undefined ? pipelineLanguage : languageExpr ? undefined : languageAt(s.language, [...base, 'language'], s.id);
    for (const [field, value] of [['with', withValue], ['if', s.if], ['foreach', s.foreach], ['language', languageExpr ? s.language : undefined]] as const) {
      if (value === undefined) continue;
      for (const { ref, path, multiline } of refsByPath(field === 'with' ? value : typeof value === 'string' ? wrapBare(value) : value)) {
        const bare = field !== 'with' && typeof value === 'string' && !value.includes('${{'); // offsets of a wrapped bare expression are off by the wrapper
        const loc = exprLoc(loaded, [...base, field], multiline || bare ? undefined : ref.offset, path);
        checkRef(ref, { step: s, inputs, stepIds, indexOf: seenIds, foreach: (field === 'with' || field === 'language') && s.foreach !== undefined, loc, errors, deps, plugins, raw });
      }
    }
    if (s.limit !== undefined && !limitNames.has(s.limit)) {
      errors.add(new Mpv2Error('E_PIPELINE_SCHEMA', `step "${s.id}" names limit "${s.limit}", which is not defined${didYouMean(s.limit, limitNames)}`, { loc: at([...base, 'limit']), step: s.id, hint: 'define it under `limits:` in the pipeline or the config' }));
    }
    const isEffect = plugin !== undefined && staticEffect(plugin, withValue);
    if (isEffect && s.cache !== undefined && s.cache !== false) {
      errors.add(new Mpv2Error('E_PIPELINE_SCHEMA', `step "${s.id}" uses ${s.uses}, an effect, which is never cached; remove \`cache:\``, { loc: at([...base, 'cache'], 'key'), step: s.id, hint: 'effects (uploads, posts, emails) run once per key and are recorded instead' }));
    }
    // only an act can wait for a decision: a plugin that is never an effect has nothing to approve
    if (plugin && s.approval === 'required' && !plugin.def.effect) {
      errors.add(new Mpv2Error('E_PIPELINE_SCHEMA', `step "${s.id}" uses ${s.uses}, which is not an effect, so \`approval: required\` has nothing to stop before`, { loc: at([...base, 'approval']), step: s.id, hint: 'remove `approval:`; approval is for steps that upload, post, email or otherwise act (`mpv2 schema plugin <id>` says whether a plugin is an effect)' }));
    }
    if (plugin) {
      for (const d of checkStaticWith(plugin, withValue)) {
        errors.add(new Mpv2Error('E_PLUGIN_INPUT_INVALID', d.message, { loc: at([...base, 'with', ...d.path], d.key ? 'key' : 'value'), step: s.id, plugin: plugin.def.id, hint: `\`mpv2 schema plugin ${plugin.def.id}\` lists its inputs` }));
      }
    }
    if (!plugin || !compiledWith) continue;
    steps.push({
      id: s.id, name: s.name ?? s.id, uses: s.uses, plugin, with: withValue, compiledWith, if: ifC, foreach: foreachC, as: s.as,
      // effects rely on reconcile, not retries: a pipeline-wide default does not make them act again
      concurrency: s.concurrency, needs, deps: [...deps], retry: s.retry ?? (isEffect ? undefined : defaults.retry),
      timeoutMs: s.timeout !== undefined ? parseDuration(s.timeout, 'timeout') : defaults.timeout !== undefined ? parseDuration(defaults.timeout, 'defaults.timeout') : undefined,
      cache: cacheSetting(s.cache, plugin), callCache: s.cache !== false, limit: s.limit, continueOnError: s.continueOnError ?? defaults.continueOnError ?? false,
      ...(s.approval && { approval: s.approval }), loc: at(base), position: i,
      ...(language !== undefined && { language }), ...(languageExpr && { languageExpr }),
    });
  }

  const outputs = raw.outputs === undefined ? undefined : compileAt(raw.outputs, ['outputs']);
  if (raw.outputs !== undefined) {
    for (const { ref, path, multiline } of refsByPath(raw.outputs)) {
      checkRef(ref, { step: undefined, inputs, stepIds, indexOf: seenIds, foreach: false, loc: exprLoc(loaded, ['outputs'], multiline ? undefined : ref.offset, path), errors, deps: new Set(), plugins, raw });
    }
  }

  let order: string[] = [];
  if (errors.errors.length === 0) {
    try { order = topoOrder(steps.map((s) => ({ id: s.id, deps: s.deps, loc: s.loc }))); } catch (e) { errors.add(e as Mpv2Error); }
  }
  errors.throwIfAny();

  return {
    file: opts.file, displayFile: loaded.file, dir: dirname(opts.file), name: raw.name ?? loaded.file.replace(/^.*\//, '').replace(/\.ya?ml$/, ''),
    description: raw.description, hash: sha256(loaded.text), inputs,
    env: Object.fromEntries(Object.entries(raw.env ?? {}).map(([k, v]) => [k, String(v)])),
    limits: raw.limits ?? {}, steps, stepById: new Map(steps.map((s) => [s.id, s])), order, outputs, locate: loaded.locate,
  };
}

function wrapBare(expr: string): string {
  return expr.includes('${{') ? expr : `\${{ ${expr} }}`;
}

function safeRefs(value: unknown) {
  try { return collectRefs(value); } catch { return []; }
}

/** References with the path of the string holding them, so errors point at the expression itself. */
function refsByPath(value: unknown, path: PathSeg[] = [], out: Array<{ ref: ReturnType<typeof collectRefs>[number]; path: PathSeg[]; multiline: boolean }> = []) {
  if (typeof value === 'string') {
    if (value.includes('${{')) for (const ref of safeRefs(value)) out.push({ ref, path, multiline: value.includes('\n') });
  } else if (Array.isArray(value)) value.forEach((v, i) => refsByPath(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) refsByPath(v, [...path, k], out);
  return out;
}

/** Whether a step is an effect as far as its static `with` tells (expressions left out). */
export function staticEffect(plugin: LoadedPlugin, withValue: Record<string, unknown>): boolean {
  const e = plugin.def.effect;
  if (typeof e !== 'function') return e === true;
  const strip = (v: unknown): unknown => (Array.isArray(v) ? v.map(strip)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => !(typeof x === 'string' && x.includes('${{'))).map(([k, x]) => [k, strip(x)]))
    : v);
  try { return e(strip(withValue)) === true; } catch { return false; }
}

function cacheSetting(c: RawStep['cache'], plugin: LoadedPlugin): CacheSetting {
  if (plugin.def.effect === true || plugin.def.pure === false) return false;
  const v = c ?? plugin.def.defaults?.cache ?? 'forever';
  if (v === false || v === 'forever') return v;
  return parseDuration(v, 'cache');
}

function normalizeInputs(raw: Record<string, Record<string, unknown>>): Record<string, InputSpec> {
  const out: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries(raw)) {
    const { description, required, ...schema } = spec;
    const type = (spec.type as InputSpec['type']) ?? 'string';
    out[name] = { type, description: description as string | undefined, default: spec.default, required: (required as boolean | undefined) ?? spec.default === undefined, schema: { ...schema, type } };
  }
  return out;
}

interface RefCheck {
  step: RawStep | undefined;
  inputs: Record<string, InputSpec>;
  stepIds: string[];
  /** Step id → its (first) position in the file. */
  indexOf: ReadonlyMap<string, number>;
  foreach: boolean;
  loc: SourceLocation;
  errors: ErrorList;
  deps: Set<string>;
  plugins: Map<number, LoadedPlugin>;
  raw: RawPipeline;
}

/** Suggestions compare with every step id: past the first errors of a file they are left out, so a broken 50,000-step file stays fast. */
const SUGGEST_FOR_FIRST = 100;

function suggestStep(errors: ErrorList, id: string, stepIds: string[]): string {
  return errors.errors.length < SUGGEST_FOR_FIRST ? didYouMean(id, stepIds) : '';
}

function checkRef(ref: ReturnType<typeof collectRefs>[number], c: RefCheck): void {
  const where = c.step ? `step "${c.step.id}"` : 'outputs';
  const add = (code: 'E_REF_UNKNOWN_STEP' | 'E_REF_UNKNOWN_OUTPUT' | 'E_EXPR_SYNTAX' | 'E_INPUT_UNKNOWN', msg: string, hint?: string) =>
    c.errors.add(new Mpv2Error(code, msg, { loc: c.loc, step: c.step?.id, hint }));
  if (ref.context === 'steps') {
    const id = ref.path[0];
    if (typeof id !== 'string') return;
    const idx = c.indexOf.get(id);
    if (idx === undefined) return add('E_REF_UNKNOWN_STEP', `${where} reads \`steps.${id}\`, but there is no step "${id}"${suggestStep(c.errors, id, c.stepIds)}`, `\`${ref.source}\``);
    if (c.step && id === c.step.id) return add('E_REF_UNKNOWN_STEP', `${where} reads its own outputs (\`${ref.source}\`)`);
    c.deps.add(id);
    const field = ref.path[1];
    if (field === undefined || typeof field !== 'string') return;
    const target = c.raw.steps[idx]!;
    if (field !== 'outputs' && field !== 'status' && field !== 'errors') return add('E_REF_UNKNOWN_OUTPUT', `${where} reads \`steps.${id}.${field}\`; a step has \`outputs\`, \`status\` and, with \`foreach\`, \`errors\`${didYouMean(field, ['outputs', 'status', 'errors'])}`);
    if (field === 'errors' && target.foreach === undefined) return add('E_REF_UNKNOWN_OUTPUT', `${where} reads \`steps.${id}.errors\`, but step "${id}" has no \`foreach\`: \`errors\` lists why each item failed`, `a step without foreach tells its state by \`steps.${id}.status\``);
    if (field !== 'outputs') return;
    const plugin = c.plugins.get(idx);
    if (!plugin) return;
    const problem = checkOutputRef(plugin, target.with ?? {}, target.foreach !== undefined, ref.path.slice(2));
    if (problem) add('E_REF_UNKNOWN_OUTPUT', `${where} reads \`${ref.source}\`: ${problem}`, `\`mpv2 schema plugin ${plugin.def.id}\` lists its outputs`);
  } else if (ref.context === 'inputs') {
    const name = ref.path[0];
    if (typeof name === 'string' && !(name in c.inputs)) add('E_INPUT_UNKNOWN', `${where} reads \`inputs.${name}\`, which the pipeline does not declare${didYouMean(name, Object.keys(c.inputs))}`, 'declare it under `inputs:`');
  } else if (!(CONTEXTS as readonly string[]).includes(ref.context) && ref.context !== c.step?.as) {
    add('E_EXPR_SYNTAX', `${where} reads \`${ref.context}\`, which is not a name expressions know${didYouMean(ref.context, [...CONTEXTS, ...(c.step?.as ? [c.step.as] : [])])}`, `expressions can read ${CONTEXTS.join(', ')}`);
  } else if ((ref.context === 'item' || ref.context === 'index' || ref.context === c.step?.as) && !c.foreach) {
    add('E_EXPR_SYNTAX', `${where} reads \`${ref.context}\`, which only exists inside \`with\` of a step with \`foreach\``);
  }
}

function findExprPath(_value: unknown, _e: Mpv2Error): PathSeg[] | undefined {
  const p = _e.details?.path;
  return Array.isArray(p) ? (p as PathSeg[]) : undefined;
}

const lineCache = new WeakMap<LoadedPipelineFile, string[]>();
function linesOf(loaded: LoadedPipelineFile): string[] {
  let lines = lineCache.get(loaded);
  if (!lines) { lines = loaded.text.split('\n'); lineCache.set(loaded, lines); }
  return lines;
}

/** Location of an expression: the string's node, moved right by the offset on single-line scalars. */
function exprLoc(loaded: LoadedPipelineFile, base: PathSeg[], offset: number | undefined, inner: PathSeg[] | undefined): SourceLocation {
  const loc = loaded.locate(inner ? [...base, ...inner] : base);
  if (offset === undefined || !loc.line || !loc.column) return loc;
  const line = linesOf(loaded)[loc.line - 1] ?? '';
  const quote = line[loc.column - 1] === '"' || line[loc.column - 1] === "'" ? 1 : 0;
  return { ...loc, column: loc.column + quote + offset };
}

function schemaHint(p: AjvProblem): string | undefined {
  if (p.keyword === 'additionalProperties') return 'docs/pipelines.md lists every key';
  if (p.missing === 'uses') return `every step names its plugin with \`uses:\`, e.g. \`uses: ${EXAMPLE_PLUGIN}\``;
  if (p.missing === 'steps') return 'a pipeline needs a list of `steps:`';
  return undefined;
}
