import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';

export default class Validate extends BaseCommand {
  static override summary = 'Check a pipeline without running it';
  static override description = 'Parses the YAML, checks it against schemas/pipeline.schema.json, resolves plugins, checks every `with` against its plugin\'s inputs and every reference against the step outputs, and looks for cycles. Prints every problem with file:line:col. Exit 0 when valid, 2 when not.';
  static override examples = ['<%= config.bin %> validate pipelines/demo-short.yaml'];
  static override args = { file: Args.string({ description: 'Pipeline file (YAML)', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the result as JSON', default: false }) };
  static override enableJsonFlag = true;
  static override jsonOneLine = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Validate);
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { loadPipeline } = await import('../../engine/run.js');
    const p = await loadPipeline(project, process.cwd(), args.file);
    if (this.jsonEnabled()) return { valid: true, pipeline: p.displayFile, steps: p.order };
    this.log(`✔ ${p.displayFile} is valid: ${p.steps.length} step(s), ${Object.keys(p.inputs).length} input(s)`);
    return undefined;
  }
}
