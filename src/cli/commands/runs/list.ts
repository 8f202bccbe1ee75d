import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class RunsList extends BaseCommand {
  static override summary = 'List recent runs';
  static override description = 'Newest first: run id, pipeline, status (running, succeeded, failed, interrupted, waiting-approval, or waiting-slot until the posting time a worker paused it for), start time (UTC) and duration. A failed or interrupted run continues with `mpv2 resume <id>`. With `queue.url` set, the workers\' runs (in Redis) are listed too.';
  static override examples = ['<%= config.bin %> runs list', '<%= config.bin %> runs list --pipeline pipelines/youtube-short.yaml --limit 5', '<%= config.bin %> runs list --json'];
  static override flags = {
    limit: Flags.integer({ char: 'n', description: 'Runs shown at most', default: 20, min: 1 }),
    pipeline: Flags.string({ char: 'p', description: 'Only runs of this pipeline file' }),
    json: Flags.boolean({ description: 'Print the runs as a JSON array', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RunsList);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const [{ findRuns }, { openProjectStores }] = await Promise.all([import('../../../engine/admin/runs-report.js'), import('../../../queue/project-stores.js')]);
    // with queue.url, the workers' runs (in Redis) are listed with this project's own
    const stores = await openProjectStores(project);
    const { pipeline, runs } = await findRuns(stores, { root: project.root, cwd: process.cwd(), limit: flags.limit, pipeline: flags.pipeline }).finally(() => stores.close());
    if (this.jsonEnabled()) return runs;
    if (runs.length === 0) { this.log(pipeline ? `No runs of ${pipeline} yet.` : 'No runs yet. Start one with `mpv2 run <pipeline.yaml>`.'); return undefined; }
    const { formatMs, formatTime, table } = await import('../../../engine/admin/format.js');
    this.log(table(['ID', 'PIPELINE', 'STATUS', 'STARTED (UTC)', 'DURATION'], runs.map((r) => [r.id, r.pipeline, r.resumeAt ? `${r.status} until ${formatTime(r.resumeAt)}` : r.status, formatTime(r.startedAt), formatMs(r.durationMs)])));
    return undefined;
  }
}
