import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { EXIT } from '../exit-codes.js';

export default class Run extends BaseCommand {
  static override summary = 'Run a pipeline';
  static override description = `Validates the pipeline, then runs its steps: independent steps in parallel, cached steps reused, effects (uploads, posts, emails) recorded so they never happen twice.
On a terminal it shows live progress; with --json it prints one JSON event a line (docs/json-events.md).
Exit codes: 0 ok, 1 a step failed, 2 invalid pipeline or inputs (nothing was run), 3 an effect step waits for approval (\`mpv2 approvals\`, then \`mpv2 approve <id>\` continues the run), 130 Ctrl-C, 143 SIGTERM. An interrupted run continues with \`mpv2 resume <runId>\`.`;
  static override examples = [
    '<%= config.bin %> run pipelines/demo-short.yaml',
    '<%= config.bin %> run pipelines/youtube-short.yaml --input topic="Why cats purr" --out out/',
    '<%= config.bin %> run pipeline.yaml --json > events.ndjson',
  ];
  static override args = { file: Args.string({ description: 'Pipeline file (YAML)', required: true }) };
  static override flags = {
    input: Flags.string({ char: 'i', description: 'Pipeline input as name=value (YAML-parsed unless the input is a string); name=@file reads a file', multiple: true, default: [] }),
    json: Flags.boolean({ description: 'Print one JSON event a line on stdout, nothing else', default: false }),
    'no-cache': Flags.boolean({ description: 'Run every step, ignoring the step cache', default: false }),
    'dry-run': Flags.boolean({ description: 'Run pure steps; effects only write what they would do into the step folder', default: false }),
    from: Flags.string({ description: 'Re-run from this step; upstream outputs come from the latest successful run' }),
    concurrency: Flags.integer({ char: 'c', description: 'Steps run at once (default: config `concurrency`, the number of CPUs)', min: 1 }),
    out: Flags.string({ char: 'o', description: 'Copy the files named in the pipeline outputs into this folder' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    const { openForPipeline, runWithOutput } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const code = await runWithOutput({
      project, cwd: process.cwd(), file: args.file, inputArgs: flags.input, json: flags.json, noCache: flags['no-cache'],
      dryRun: flags['dry-run'], from: flags.from, concurrency: flags.concurrency, out: flags.out, verbose: flags.verbose,
    });
    if (code !== EXIT.ok) this.exit(code);
  }
}
