import { Args } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class ScheduleResume extends BaseCommand {
  static override summary = 'Let a paused schedule fire again (fires during the pause are not made up)';
  static override examples = ['<%= config.bin %> schedule resume youtube-short'];
  static override args = { name: Args.string({ description: 'Schedule name (see `mpv2 schedule list`)', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ScheduleResume);
    const { openProject } = await import('../../../engine/project.js');
    const project = (this.projectHandle = await openProject({ cwd: process.cwd(), project: flags.project, lazyPlugins: true }));
    const { changeSchedule } = await import('../../../queue/ops.js');
    await changeSchedule(project, args.name, 'resume');
    this.log(`Schedule "${args.name}" resumed.`);
  }
}
