/** Runs every loaded namespace's `doctorChecks` and plugin's `check(ctx)` with a timeout; a failing check is a line of the report, never a crash. */
import { grantsOf, namespaceOf, projectSources, registryIndex } from '../access.js';
import { createHttpClient, httpPolicyOf } from '../../infra/http.js';
import { isMpv2Error } from '../../errors.js';
import type { CheckResult, LoadedPlugin, PluginDef } from '../../plugin/types.js';
import type { LoadedNamespace } from '../../plugin/registry.js';
import type { Project } from '../project.js';
import { error, warn, type DoctorCheck } from './doctor-types.js';

export const PLUGIN_CHECK_TIMEOUT_MS = 10_000;

type CheckFn = NonNullable<PluginDef['check']>;

/**
 * Each namespace's `doctorChecks`, said for its plugins, then plugins' own `check`; plugins that
 * share one check function (a namespace's plugins often do) are checked once.
 */
function groups(plugins: LoadedPlugin[], namespaces: LoadedNamespace[]): Array<{ check: CheckFn; plugins: LoadedPlugin[] }> {
  const m = new Map<CheckFn, LoadedPlugin[]>();
  const nsOf = (p: LoadedPlugin) => p.def.id.split('.')[0]!;
  for (const n of namespaces) {
    const own = plugins.filter((p) => nsOf(p) === n.def.namespace);
    if (n.def.doctorChecks && own.length) m.set(n.def.doctorChecks, own);
  }
  for (const p of plugins) if (typeof p.def.check === 'function') m.set(p.def.check, [...(m.get(p.def.check) ?? []), p]);
  return [...m].map(([check, list]) => ({ check, plugins: list }));
}

function toCheck(r: CheckResult, ids: string[]): DoctorCheck {
  const level = r.level ?? (r.ok ? 'ok' : 'error');
  // say whose check it is when the name does not (video's "ffmpeg" next to doctor's own "ffmpeg")
  const ns = ids[0]!.split('.')[0]!;
  const name = String(r.name ?? ids[0]);
  return { name: name.startsWith(ns) ? name : `${ns}: ${name}`, level, message: r.message, ...(r.hint && { hint: r.hint }), plugins: ids };
}

async function runOne(project: Project, check: CheckFn, owner: LoadedPlugin, timeoutMs: number): Promise<CheckResult[]> {
  const ns = owner.def.id.split('.')[0]!;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs / 1000}s`));
    }, timeoutMs);
  });
  try {
    // the namespace's own config and secrets, as its steps get them
    const defs = project.registry.all().map((p) => p.def).filter((d) => namespaceOf(d.id) === ns);
    const grants = grantsOf(registryIndex(project.registry), projectSources(project), ns, defs, owner.def.id);
    const ctx = {
      config: grants.config,
      secrets: grants.secrets,
      root: project.root,
      http: createHttpClient({ signal: controller.signal, timeoutMs, policy: httpPolicyOf(project.config.values.http), redactor: project.redactor }),
      signal: controller.signal,
    };
    const r = await Promise.race([Promise.resolve().then(() => check.call(owner.def, ctx)), timeout]);
    return Array.isArray(r) ? r : [r];
  } finally {
    clearTimeout(timer);
  }
}

export async function pluginChecks(project: Project, timeoutMs = PLUGIN_CHECK_TIMEOUT_MS): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  for (const b of project.registry.broken) {
    out.push(error(`plugin ${b.source}`, `${b.error.code} ${b.error.message}`, b.error.hint ?? 'fix or remove the plugin; the others still work'));
  }
  for (const r of project.registry.refused) {
    out.push(warn(`plugin ${r.source}`, r.message, `ask the package's author to use a namespace of its own; \`uses: ${r.id}\` runs mpv2's built-in`));
  }
  const list = groups(project.registry.all(), project.registry.namespaces());
  const results = await Promise.all(list.map(async ({ check, plugins }) => {
    const ids = plugins.map((p) => p.def.id);
    try {
      const rs = await runOne(project, check, plugins[0]!, timeoutMs);
      return rs.filter((r) => r && typeof r === 'object').map((r) => toCheck(r, ids));
    } catch (e) {
      const err = isMpv2Error(e) ? e : undefined;
      return [{ ...error(`plugin ${ids[0]}`, `its check failed: ${err ? `${err.code} ` : ''}${(e as Error)?.message ?? String(e)}`, err?.hint), plugins: ids }];
    }
  }));
  for (const rs of results) out.push(...rs);
  return out.map((c) => project.redactor.redactDeep(c) as DoctorCheck);
}
