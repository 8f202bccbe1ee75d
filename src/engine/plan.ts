/** `mpv2 plan`: the step graph in waves, and for each step whether it would hit the cache or act. */
import { join } from 'node:path';
import { Keyv } from 'keyv';
import { resolveInside } from '../infra/paths.js';
import { evaluate, type Scope } from './expr/index.js';
import { checkInputs, parseInputArgs } from './inputs.js';
import type { ResolvedPipeline } from './pipeline.js';
import type { Project } from './project.js';
import { approvalRequired } from './approval-gate.js';
import { staticEffect } from './resolve.js';
import { StepCache } from './step-cache.js';

export interface PlannedStep {
  id: string;
  plugin: string;
  wave: number;
  deps: string[];
  kind: 'effect' | 'pure' | 'uncached';
  /** `hit` when the cache already holds the result, `miss`, or `unknown` when inputs depend on steps not yet known. */
  cache: 'hit' | 'miss' | 'unknown' | 'off';
  foreach: boolean;
  /** An effect that stops before acting until a person approves it (`approval:` or the config's `approvals`). */
  approval: boolean;
}

export async function planRun(project: Project, pipeline: ResolvedPipeline, inputArgs: string[], cwd: string): Promise<PlannedStep[]> {
  const inputs = checkInputs(parseInputArgs(inputArgs, pipeline.inputs, cwd), pipeline.inputs);
  const state = project.state();
  const keyv = new Keyv({ store: state.keyvStore as never, namespace: 'mpv2' });
  const cache = new StepCache(keyv, join(state.cacheDir, 'blobs'));
  const waves = new Map<string, number>();
  const known: Record<string, { outputs?: unknown }> = {};
  const out: PlannedStep[] = [];
  const cfg = project.config.values as Record<string, unknown>;
  for (const id of pipeline.order) {
    const s = pipeline.stepById.get(id)!;
    const wave = Math.max(0, ...s.deps.map((d) => (waves.get(d) ?? 0) + 1));
    waves.set(id, wave);
    const eff = s.plugin.def.effect;
    // `http.request` with a literal `method: POST` is an effect whatever its expressions give
    const kind: PlannedStep['kind'] = staticEffect(s.plugin, s.with) ? 'effect' : s.plugin.def.pure === false || s.cache === false ? 'uncached' : 'pure';
    let status: PlannedStep['cache'] = kind === 'pure' ? 'unknown' : 'off';
    if (kind === 'pure' && !s.foreach && s.deps.every((d) => known[d])) {
      try {
        const scope: Scope = { inputs, steps: known, config: project.redactor.redactDeep(cfg), env: pipeline.env, secrets: project.config.secrets };
        const input = evaluate(s.compiledWith, scope);
        const effectNow = typeof eff === 'function' ? eff(input) : false;
        if (effectNow) status = 'off';
        else {
          const ns = s.plugin.def.id.split('.')[0]!;
          const key = await cache.key(s.plugin, project.redactor.redactDeep((cfg[ns] as object) ?? {}), input, (p) => { try { return resolveInside({ root: project.root }, pipeline.dir, p); } catch { return undefined; } });
          const entry = await keyv.get(key);
          status = entry ? 'hit' : 'miss';
          if (entry) known[id] = { outputs: (entry as { outputs: unknown }).outputs };
        }
      } catch { status = 'unknown'; }
    }
    const finalKind = typeof eff === 'function' && status === 'off' ? 'effect' : kind;
    out.push({ id, plugin: s.plugin.def.id, wave, deps: s.deps, kind: finalKind, cache: status, foreach: s.foreach !== undefined, approval: finalKind === 'effect' && approvalRequired(s, project.config.values.approvals) });
  }
  return out;
}
