/**
 * The engine's side of approve-before-publish. An effect step that needs approval runs until
 * its first act is due (`ctx.effect`: not done already, not in doubt, after `ready`, before the
 * record goes pending); there the gate records an approval with the preview its dry run would
 * write and stops the step, which the runner journals `waiting-approval`. A resume looks the
 * approval up before the plugin runs: still pending, it stops again (the same record);
 * rejected, the step is skipped with the note; approved, the plugin runs and acts once.
 *
 * A step that posts at a time (`publishAt`, `ctx.accounts.waitForSlot`) asks first and waits
 * after: while the approval is not given the slot is reserved but not waited for (`defer`), the
 * preview says when the post goes out (`postAt`), and the approved step waits for that time on
 * resume. A rejection gives the step's reserved slots back (`onReject`).
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { mpv2Error } from '../errors.js';
import type { Redactor } from '../infra/redact.js';
import { didYouMean } from '../infra/suggest.js';
import { BUILTIN_NAMESPACES, isBuiltinNamespace, type PluginRegistry } from '../plugin/registry.js';
import type { ApprovalRecord, ApprovalStore } from '../infra/store/types.js';
import { namespaceOf } from './access.js';
import { approvalIdFor, rejectionReason } from './approvals.js';
import { SkipStep } from './context.js';
import type { ResolvedStep } from './pipeline.js';

export type ApprovalSetting = 'required' | 'none';

/** Thrown where the step stops for a decision; the runner journals the step `waiting-approval`. */
export class AwaitingApproval extends Error {
  constructor(readonly approval: ApprovalRecord) {
    super(`step "${approval.stepId}" waits for approval ${approval.id}`);
    this.name = 'AwaitingApproval';
  }
}

/**
 * Whether an effect step waits for approval: its own `approval:`, else the config's
 * `approvals` default for its plugin id, else for its namespace.
 */
export function approvalRequired(step: Pick<ResolvedStep, 'approval' | 'plugin'>, defaults: Record<string, ApprovalSetting>): boolean {
  const id = step.plugin.def.id;
  return (step.approval ?? defaults[id] ?? defaults[namespaceOf(id)] ?? 'none') === 'required';
}

/**
 * The config's `approvals` keys must name a plugin namespace (built-in or loaded) and, where
 * that namespace is loaded, one of its plugins: a misspelt key would silently never stop an
 * upload. Checked when a pipeline is loaded, without loading namespaces the run does not use.
 */
export function checkApprovalDefaults(defaults: Record<string, ApprovalSetting>, registry: PluginRegistry, origins: Record<string, string>): void {
  const namespaces = new Set(registry.namespaces().map((n) => n.def.namespace));
  const loaded = registry.all();
  for (const key of Object.keys(defaults)) {
    const ns = namespaceOf(key);
    const from = origins[`approvals.${key}`] ? ` (${origins[`approvals.${key}`]})` : '';
    if (!isBuiltinNamespace(ns) && !namespaces.has(ns)) {
      throw mpv2Error('E_CONFIG_INVALID', `approvals: "${key}"${from} names no plugin namespace${didYouMean(ns, [...BUILTIN_NAMESPACES, ...namespaces])}`, {
        hint: 'key approvals by a plugin id (`<namespace>.<plugin>`) or a namespace; `mpv2 plugins list` shows them',
      });
    }
    const ids = loaded.filter((p) => namespaceOf(p.def.id) === ns).map((p) => p.def.id);
    if (key !== ns && ids.length > 0 && !ids.includes(key)) {
      throw mpv2Error('E_CONFIG_INVALID', `approvals: "${key}"${from} is not a plugin of the ${ns} namespace${didYouMean(key, ids)}`, {
        hint: `\`mpv2 plugins list\` shows the plugin ids; the namespace alone (\`${ns}\`) covers all of them`,
      });
    }
  }
}

export interface GateDeps {
  store: ApprovalStore;
  runId: string;
  stepId: string;
  index?: number;
  plugin: string;
  /** The run's folder: files of the preview are given relative to it. */
  runDir: string;
  /** The step's inputs as a hash: an approval holds for the inputs its preview was made from. */
  inputHash: string;
  redactor: Redactor;
  now?: () => Date;
  /** Called when the step is found rejected: what it held for its act (a posting slot) is given back. */
  onReject?: () => Promise<void>;
}

export class ApprovalGate {
  private approved = false;
  private stop?: AwaitingApproval | SkipStep;
  /** The posting time reserved for the act and the wait for it, put off until the approval is given. */
  private deferred?: { at: string; wait: () => Promise<void> };
  readonly id: string;

  constructor(private readonly d: GateDeps) {
    this.id = approvalIdFor(d.runId, d.stepId, d.index ?? -1);
  }

  /** Before the plugin runs: a pending or rejected approval of this step answers without running it. */
  async before(): Promise<void> {
    const a = await this.d.store.get(this.id);
    if (a?.status === 'rejected') await this.d.onReject?.();
    if (a) this.follow(a);
  }

  /** Whether a wait for the act's time is put off: the approval is not given (yet). */
  pending(): boolean {
    return !this.approved;
  }

  /** The act's posting time and the wait for it, done once the approval is given. */
  defer(at: string, wait: () => Promise<void>): void {
    this.deferred = { at, wait };
  }

  /** At `ctx.effect` when the act is due: records the approval (once) and stops unless it is approved. */
  async check(key: string, describe: unknown): Promise<void> {
    if (this.approved) return;
    const wouldDo = this.d.redactor.redactDeep(describe ?? null);
    const a = await this.d.store.request({
      id: this.id, runId: this.d.runId, stepId: this.d.stepId, index: this.d.index ?? -1, plugin: this.d.plugin,
      preview: { key, wouldDo, files: filesIn(describe, this.d.runDir), ...(this.deferred && { postAt: this.deferred.at }) }, inputHash: this.d.inputHash, createdAt: (this.d.now?.() ?? new Date()).toISOString(),
    });
    if (a.status === 'rejected') await this.d.onReject?.();
    this.follow(a);
    // approved already when asked (decided between this try's look and its request): the wait
    // put off for the approval is waited now, so the act still does not post early
    const wait = this.deferred?.wait;
    this.deferred = undefined;
    await wait?.();
  }

  /**
   * How the try ended once the gate stopped the step, even when the plugin caught the gate's
   * error and threw its own, or returned.
   */
  get stopped(): AwaitingApproval | SkipStep | undefined {
    return this.stop;
  }

  private follow(a: ApprovalRecord): void {
    // what was approved is the preview of these inputs: a step whose inputs changed since
    // (a resume --force of an edited pipeline, an upstream step run again) does not act on it
    if (a.status === 'approved' && a.inputHash !== undefined && a.inputHash !== this.d.inputHash) {
      throw mpv2Error('E_APPROVAL_STALE', `approval ${a.id} was given for other inputs of step "${a.stepId}" than it has now (the pipeline or an upstream result changed since the preview); not acting`, {
        hint: 'start a new run (`mpv2 run`): it asks for approval again with a preview of what it would do now',
        details: { id: a.id },
      });
    }
    if (a.status === 'approved') { this.approved = true; return; }
    this.stop = a.status === 'rejected' ? new SkipStep(rejectionReason(a)) : new AwaitingApproval(a);
    throw this.stop;
  }
}

/** Files the description names that exist in the run's folder, relative to it (the video, the thumbnail). */
function filesIn(v: unknown, runDir: string, out = new Set<string>()): string[] {
  if (typeof v === 'string') {
    if (isAbsolute(v) && v.startsWith(`${runDir}${sep}`) && existsSync(v) && statSync(v).isFile()) out.add(relative(runDir, v));
  } else if (Array.isArray(v)) for (const x of v) filesIn(x, runDir, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) filesIn(x, runDir, out);
  return [...out];
}
