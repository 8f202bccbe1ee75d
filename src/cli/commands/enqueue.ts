import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';

export default class Enqueue extends BaseCommand {
  static override summary = 'Queue a pipeline run for `mpv2 worker`';
  static override description = `Checks the pipeline and its inputs now (exit 2 on a mistake), then queues the run: in the project's .mpv2/state.db, or on the shared Redis queue when \`queue.url\` (REDIS_URL) is set.
The same pipeline with the same inputs is one run: queued again while it is queued, running or finished within a day, it is not run twice. Pass --key to make a distinct run.`;
  static override examples = [
    '<%= config.bin %> enqueue pipelines/youtube-short.yaml --input topic="Why cats purr"',
    '<%= config.bin %> enqueue pipelines/daily.yaml --key 2026-05-04',
  ];
  static override args = { file: Args.string({ description: 'Pipeline file (YAML)', required: true }) };
  static override flags = {
    input: Flags.string({ char: 'i', description: 'Pipeline input as name=value (YAML-parsed unless the input is a string); name=@file reads a file', multiple: true, default: [] }),
    key: Flags.string({ description: 'Distinguishes this run from an identical one (same pipeline and inputs)' }),
    json: Flags.boolean({ description: 'Print the job as JSON', default: false }),
  };
  static override enableJsonFlag = true;
  static override jsonOneLine = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Enqueue);
    const { openForPipeline } = await import('../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { enqueueRun } = await import('../../queue/ops.js');
    const r = await enqueueRun({ project, cwd: process.cwd(), file: args.file, inputArgs: flags.input, key: flags.key });
    const out = { jobId: r.job.id, runId: r.runId, added: r.added, status: r.status, queue: r.mode };
    if (this.jsonEnabled()) return out;
    this.log(r.added
      ? `Queued ${r.job.pipeline} as job ${r.job.id} (run ${out.runId}) on the ${r.mode === 'local' ? 'local queue' : 'shared Redis queue'}. A worker runs it: \`mpv2 worker\`.`
      : `Already ${r.status}: job ${r.job.id} (run ${out.runId}) has the same pipeline and inputs; not queued again (pass --key to queue a distinct run).`);
  }
}
