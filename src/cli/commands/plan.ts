import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';

export default class Plan extends BaseCommand {
  static override summary = 'Show what a run would do';
  static override description = 'Validates the pipeline and prints its steps in waves (steps of one wave can run in parallel), which would come from the cache, and which are effects (uploads, posts, emails). Nothing is run.';
  static override examples = ['<%= config.bin %> plan pipelines/demo-short.yaml', '<%= config.bin %> plan pipelines/youtube-short.yaml -i topic="Octopus facts" --json'];
  static override args = { file: Args.string({ description: 'Pipeline file (YAML)', required: true }) };
  static override flags = {
    input: Flags.string({ char: 'i', description: 'Pipeline input as name=value', multiple: true, default: [] }),
    json: Flags.boolean({ description: 'Print the plan as JSON', default: false }),
  };
  static override enableJsonFlag = true;
  static override jsonOneLine = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Plan);
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { loadPipeline } = await import('../../engine/run.js');
    const { planRun } = await import('../../engine/plan.js');
    const pipeline = await loadPipeline(project, process.cwd(), args.file);
    const steps = await planRun(project, pipeline, flags.input, process.cwd());
    if (this.jsonEnabled()) return { pipeline: pipeline.displayFile, steps };
    this.log(`${pipeline.name} (${pipeline.displayFile})`);
    const waves = Math.max(...steps.map((s) => s.wave)) + 1;
    for (let w = 0; w < waves; w++) {
      this.log(`wave ${w + 1}:`);
      for (const s of steps.filter((x) => x.wave === w)) {
        const what = s.kind === 'effect' ? `EFFECT (acts once per key${s.approval ? '; waits for approval first' : ''})` : s.cache === 'hit' ? 'cached' : s.cache === 'off' ? 'runs (not cached)' : s.cache === 'miss' ? 'runs' : 'runs (cache checked at run time)';
        this.log(`  ${s.id.padEnd(16)} ${s.plugin.padEnd(18)} ${what}${s.foreach ? ', per item' : ''}${s.deps.length ? `  ← ${s.deps.join(', ')}` : ''}`);
      }
    }
  }
}
