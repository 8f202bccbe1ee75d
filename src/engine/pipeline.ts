/** The strict, resolved form of a pipeline that everything after validation works with. */
import type { SourceLocation } from '../errors.js';
import type { LoadedPlugin, RetrySpec } from '../plugin/types.js';
import type { Compiled } from './expr/index.js';
import type { LimitSpec } from './limits.js';
import type { PathSeg } from './load.js';

export type CacheSetting = false | number | 'forever';

export interface InputSpec {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  default?: unknown;
  required: boolean;
  schema: Record<string, unknown>;
}

export interface ResolvedStep {
  id: string;
  name: string;
  uses: string;
  plugin: LoadedPlugin;
  /** `with` as written (expressions unevaluated). */
  with: Record<string, unknown>;
  compiledWith: Compiled;
  if?: Compiled;
  foreach?: Compiled;
  as?: string;
  concurrency?: number;
  needs: string[];
  /** needs + every step its expressions read. */
  deps: string[];
  retry?: RetrySpec;
  timeoutMs?: number;
  /** The step's language (canonical BCP 47 tag), its own or the pipeline's; `ctx.language`. */
  language?: string;
  /** `language: ${{ … }}`: evaluated per instance (a `foreach` item each its own language). */
  languageExpr?: Compiled;
  cache: CacheSetting;
  /** `ctx.cache.wrap` may read the call cache: false only when the step says `cache: false` (impure plugins keep their call cache). */
  callCache: boolean;
  limit?: string;
  continueOnError: boolean;
  /** `approval:` as written (effect steps only); unset, the config's `approvals` default decides (./approval-gate.ts). */
  approval?: 'required' | 'none';
  loc: SourceLocation;
  /** Position of the step in the file (0-based). */
  position: number;
}

export interface ResolvedPipeline {
  /** Absolute path of the pipeline file. */
  file: string;
  /** The path as shown to users (relative to the project root). */
  displayFile: string;
  /** Folder of the pipeline file; relative paths in `with` resolve against it. */
  dir: string;
  name: string;
  description?: string;
  /** sha256 of the file text: a changed pipeline is refused by `resume`. */
  hash: string;
  inputs: Record<string, InputSpec>;
  env: Record<string, string>;
  limits: Record<string, LimitSpec>;
  steps: ResolvedStep[];
  stepById: Map<string, ResolvedStep>;
  /** Step ids in dependency order. */
  order: string[];
  outputs?: Compiled;
  locate(path: PathSeg[], which?: 'value' | 'key'): SourceLocation;
}
