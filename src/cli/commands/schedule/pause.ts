import { Args } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class SchedulePause extends BaseCommand {
  static override summary = 'Stop a schedule from firing until resumed';
  static override examples = ['<%= config.bin %> schedule pause youtube-short'];
  static override args = { name: Args.string({ description: 'Schedule name (see `mpv2 schedule list`)', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SchedulePause);
    const { openProject } = await import('../../../engine/project.js');
    const project = (this.projectHandle = await openProject({ cwd: process.cwd(), project: flags.project, lazyPlugins: true }));
    const { changeSchedule } = await import('../../../queue/ops.js');
    await changeSchedule(project, args.name, 'pause');
    this.log(`Schedule "${args.name}" paused.`);
  }
}
