import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class RunsPrune extends BaseCommand {
  static override summary = 'Delete old runs and their folders';
  static override description = 'Keeps the newest finished runs (default: config `runs.keep`, 50) and deletes the others: their journal rows, `.mpv2/runs/<id>/` folders and logs. Runs still marked running are never deleted. Effect records stay, so nothing already uploaded, posted or sent happens twice.';
  static override examples = ['<%= config.bin %> runs prune', '<%= config.bin %> runs prune --keep 5'];
  static override flags = {
    keep: Flags.integer({ char: 'k', description: 'Finished runs to keep (default: config `runs.keep`)', min: 0 }),
    json: Flags.boolean({ description: 'Print the result as JSON', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RunsPrune);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const { pruneRuns } = await import('../../../engine/admin/runs-report.js');
    const result = await pruneRuns(project.state(), flags.keep ?? project.config.values.runs.keep);
    if (this.jsonEnabled()) return result;
    const { formatBytes } = await import('../../../engine/admin/format.js');
    this.log(result.deleted.length
      ? `Deleted ${result.deleted.length} run(s), ${formatBytes(result.freedBytes)} freed; ${result.kept} kept.`
      : `Nothing to prune: ${result.kept} run(s), all kept.`);
  }
}
