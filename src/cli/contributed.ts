/**
 * Commands plugin namespaces contribute (`mpv2 <namespace> <name>`, from `defineNamespace({
 * commands })`). oclif knows mpv2's own commands only; a contributed one is found when oclif
 * does not know the id (the `command_not_found` hook) and for help (the help class), by loading
 * just that namespace — built-in or a project's package alike — so other commands start as fast.
 */
import type { Command, Interfaces } from '@oclif/core';
import type { CommandDef } from '../plugin/types.js';
import { namespaceKv } from '../infra/store/types.js';
import type { Project } from '../engine/project.js';
import { BaseCommand } from './base.js';

/** A contributed command with the namespace that brings it. */
export interface Contributed {
  namespace: string;
  name: string;
  def: CommandDef;
}

/** The value of `--project` in raw arguments (`--project x` or `--project=x`). */
export function projectFlag(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--project') return argv[i + 1];
    if (argv[i]!.startsWith('--project=')) return argv[i]!.slice('--project='.length);
  }
  return undefined;
}


/** An oclif command class that parses the contributed command's flags and runs it in the project. */
export function commandClass(c: Contributed): Command.Class {
  const { def } = c;
  return class ContributedCommand extends BaseCommand {
    static override id = `${c.namespace}:${c.name}`;
    static override summary = def.summary;
    static override description = def.description;
    static override examples = def.examples ?? [];
    static override flags = (def.flags ?? {}) as Interfaces.FlagInput;
    static override args = (def.args ?? {}) as Interfaces.ArgInput;
    static override strict = def.strict ?? true;

    async run(): Promise<void> {
      const { args, flags, argv } = await this.parse(ContributedCommand);
      const project = await this.openLazyProject(flags);
      // the namespace's section is validated and its secrets known to the redactor, like a step's
      await project.registry.namespace(c.namespace);
      await project.refreshConfig();
      const { grantsOf, namespaceOf, projectSources, registryIndex } = await import('../engine/access.js');
      const defs = project.registry.all().map((p) => p.def).filter((d) => namespaceOf(d.id) === c.namespace);
      // the namespace's own config section and secrets, exactly what its steps see
      const grants = grantsOf(registryIndex(project.registry), projectSources(project), c.namespace, defs, `mpv2 ${c.namespace} ${c.name}`);
      await def.run({
        root: project.root,
        config: grants.config,
        secrets: grants.secrets,
        store: namespaceKv(project.state().kv, c.namespace),
        effects: () => project.state().effects.list(),
        log: (line) => this.log(project.redactor.redact(line)),
      }, { args, flags, argv: argv as string[] });
    }
  };
}

/** What oclif's help needs of a command, without loading anything more. */
export function loadableOf(c: Contributed): Command.Loadable {
  const cls = commandClass(c);
  const flags: Record<string, unknown> = { ...BaseCommand.baseFlags, ...(c.def.flags ?? {}) };
  return {
    id: cls.id, summary: c.def.summary, description: c.def.description, examples: c.def.examples ?? [],
    flags: Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, { ...(f as object), name }])) as Command.Cached['flags'],
    args: Object.fromEntries(Object.entries(c.def.args ?? {}).map(([name, a]) => [name, { ...(a as object), name }])) as Command.Cached['args'],
    strict: c.def.strict ?? true, aliases: [], hiddenAliases: [], hidden: false, pluginType: 'core',
    load: async () => cls,
  };
}

/**
 * The contributions of one namespace (or, without one, of every namespace: built-ins and the
 * project's packages), from the project at `cwd` (or `--project`); outside a project, the built-ins.
 */
export async function contributions(o: { cwd: string; project?: string; namespace?: string }): Promise<{ namespaces: Array<{ namespace: string; description?: string }>; commands: Contributed[] }> {
  const { openProject } = await import('../engine/project.js');
  const { PluginRegistry } = await import('../plugin/registry.js');
  let project: Project | undefined;
  try { project = await openProject({ cwd: o.cwd, project: o.project, lazyPlugins: true }); } catch { /* no project: built-ins only */ }
  try {
    const registry = project?.registry ?? await PluginRegistry.create({ root: o.cwd });
    if (o.namespace) await registry.namespace(o.namespace);
    else await registry.loadAll();
    const list = registry.namespaces().filter((n) => !o.namespace || n.def.namespace === o.namespace);
    return {
      namespaces: list.filter((n) => n.def.commands && Object.keys(n.def.commands).length).map((n) => ({ namespace: n.def.namespace, description: n.def.description })),
      commands: list.flatMap((n) => Object.entries(n.def.commands ?? {}).map(([name, def]) => ({ namespace: n.def.namespace, name, def }))),
    };
  } finally {
    project?.close();
  }
}

/**
 * Runs `mpv2 <namespace> <name> …` given oclif's id (words joined by `:`) and the rest of argv;
 * false when the namespace contributes no command.
 */
export async function runContributed(config: Interfaces.Config, id: string, argv: string[]): Promise<boolean> {
  const [namespace, name, ...rest] = id.split(':');
  const words = name === undefined ? argv : [name, ...rest, ...argv];
  const ns = namespace!;
  const found = await contributions({ cwd: process.cwd(), project: projectFlag(argv), namespace: ns });
  if (found.commands.length === 0) return false;
  const [first, ...args] = words;
  const c = found.commands.find((x) => x.name === first);
  if (!c) {
    // `mpv2 <namespace>` alone, or a name it does not have: the namespace's help
    const { loadHelpClass } = await import('@oclif/core');
    const Help = await loadHelpClass(config);
    if (first !== undefined) {
      process.stderr.write(`command ${ns} ${first} not found; the ${ns} commands are:\n\n`);
      process.exitCode = 2;
    }
    await new Help(config).showHelp([ns]);
    return true;
  }
  try {
    await commandClass(c).run(args, config);
  } catch (e) {
    // oclif would show the usage of a bad command line with its own help class, which knows
    // no contributed command; its message already says `--help` shows it
    if (e && typeof e === 'object' && 'showHelp' in e) (e as { showHelp: boolean }).showHelp = false;
    throw e;
  }
  return true;
}
