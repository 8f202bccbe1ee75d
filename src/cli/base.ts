/**
 * Shared flags, `--json` and error handling; commands only parse flags and call one function.
 *
 * `--json` of one-shot commands is oclif's `enableJsonFlag`: such a command returns its result
 * from `run()` and it is printed here as one JSON document on stdout (its human lines are
 * silenced); a failure prints `{ "error": <the error's JSON shape> }` there as well as the
 * human text on stderr. Commands that stream (`run`, `resume`, `worker`) keep their own
 * `--json` flag: they write one JSON line an event as it happens (docs/json-events.md).
 */
import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { format } from 'node:util';
import { errorJson, formatError } from './format-error.js';
import { forTerminal } from './output/terminal-text.js';
import { exitCodeFor } from './exit-codes.js';
import type { Project } from '../engine/project.js';

/** oclif's FlagOutput / ArgOutput (not exported by name). */
type Output = { [name: string]: any };

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    project: Flags.string({ description: 'Project folder (default: the nearest folder with a config file, package.json or .mpv2/)', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'Show causes and stack traces of errors', default: false, helpGroup: 'GLOBAL' }),
  };

  /** `--json` prints the document on one line (commands whose scripts have always read one line). */
  static jsonOneLine = false;

  protected projectHandle?: Project;
  /** `--verbose`, once the flags are parsed. */
  private verbose = false;

  protected override async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>, argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const out = await super.parse(options, argv);
    this.verbose = (out.flags as { verbose?: boolean }).verbose === true;
    return out;
  }

  /** Every line a command prints passes here: control characters of values are shown escaped (see terminal-text.ts). */
  override log(message = '', ...args: unknown[]): void {
    super.log(forTerminal(format(message, ...args)));
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(forTerminal(format(message, ...args)));
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

  private redact(s: string): string {
    return this.projectHandle?.redactor.redact(s) ?? s;
  }

  /** The result of a `--json` command: one document on stdout, secrets redacted. */
  protected override logJson(json: unknown): void {
    const text = JSON.stringify(json, null, (this.constructor as typeof BaseCommand).jsonOneLine ? undefined : 2);
    // control characters become \\u escapes, still valid JSON inside strings
    process.stdout.write(`${forTerminal(this.redact(text))}\n`);
  }

  /** Warnings go to stderr with `--json` too: stdout holds only the document. */
  override warn(input: string | Error): string | Error {
    Errors.warn(typeof input === 'string' ? forTerminal(input) : Object.assign(input, { message: forTerminal(input.message) }));
    return input;
  }

  /** Prints the error in the stable format and exits with its code (the catalogue's: 2 for bad input, 1 otherwise). */
  protected fail(e: unknown): never {
    const root = this.projectHandle?.root ?? process.cwd();
    if (this.jsonEnabled()) this.logJson({ error: errorJson(e) });
    process.stderr.write(`${forTerminal(this.redact(formatError(e, root, { verbose: this.verbose })))}\n`);
    this.projectHandle?.close();
    this.exit(exitCodeFor(e));
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err.oclif?.exit !== undefined) throw err; // oclif's own exit/parse errors
    return this.fail(err);
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    this.projectHandle?.close();
    return super.finally(err);
  }
}
