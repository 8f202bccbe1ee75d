/** Shared flags and error handling; commands only parse flags and call the engine. */
import { Command, Flags } from '@oclif/core';
import { format } from 'node:util';
import { formatError } from './format-error.js';
import { forTerminal } from './output/terminal-text.js';
import { exitCodeFor } from './exit-codes.js';
import type { Project } from '../engine/project.js';

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    project: Flags.string({ description: 'Project folder (default: the nearest folder with a config file, package.json or .mpv2/)', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'Show causes and stack traces of errors', default: false, helpGroup: 'GLOBAL' }),
  };

  protected projectHandle?: Project;

  /** Every line a command prints passes here: control characters of values are shown escaped (see terminal-text.ts). */
  override log(message = '', ...args: unknown[]): void {
    super.log(forTerminal(format(message, ...args)));
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(forTerminal(format(message, ...args)));
  }

  override warn(input: string | Error): string | Error {
    return super.warn(typeof input === 'string' ? forTerminal(input) : Object.assign(input, { message: forTerminal(input.message) }));
  }

  protected async openProject(flags: { project?: string }, configFlags: Record<string, unknown> = {}): Promise<Project> {
    const { openProject } = await import('../engine/project.js');
    this.projectHandle = await openProject({ cwd: process.cwd(), project: flags.project, flags: configFlags });
    for (const w of this.projectHandle.config.warnings) this.warn(w);
    return this.projectHandle;
  }

  /**
   * The project for commands that read or change state (runs, effects, accounts, cache,
   * schedules): plugins load only if something asks for them, so the command starts fast.
   */
  protected async openLazyProject(flags: { project?: string }): Promise<Project> {
    const { openProject } = await import('../engine/project.js');
    return (this.projectHandle = await openProject({ cwd: process.cwd(), project: flags.project, lazyPlugins: true }));
  }

  /** Prints the error in the stable format and exits with its code (2 before running, 1 otherwise). */
  protected fail(e: unknown, verbose = false): never {
    const root = this.projectHandle?.root ?? process.cwd();
    const redact = (s: string) => this.projectHandle?.redactor.redact(s) ?? s;
    process.stderr.write(`${forTerminal(redact(formatError(e, root, { verbose })))}\n`);
    this.projectHandle?.close();
    this.exit(exitCodeFor(e));
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err.oclif?.exit !== undefined) throw err; // oclif's own exit/parse errors
    const verbose = process.argv.includes('--verbose');
    return this.fail(err, verbose);
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    this.projectHandle?.close();
    return super.finally(err);
  }
}
