import { Args } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class ScheduleRemove extends BaseCommand {
  static override summary = 'Delete a schedule (runs it queued stay queued)';
  static override examples = ['<%= config.bin %> schedule remove youtube-short'];
  static override args = { name: Args.string({ description: 'Schedule name (see `mpv2 schedule list`)', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ScheduleRemove);
    const { openProject } = await import('../../../engine/project.js');
    const project = (this.projectHandle = await openProject({ cwd: process.cwd(), project: flags.project, lazyPlugins: true }));
    const { changeSchedule } = await import('../../../queue/ops.js');
    await changeSchedule(project, args.name, 'remove');
    this.log(`Schedule "${args.name}" removed.`);
  }
}
