/** `schedule pause|resume|remove`: one command shape, three actions on a named schedule. */
import { Args, type Command } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export function scheduleChangeCommand(action: 'pause' | 'resume' | 'remove', summary: string, done: string): Command.Class {
  return class ScheduleChange extends BaseCommand {
    static override summary = summary;
    static override examples = [`<%= config.bin %> schedule ${action} youtube-short`];
    static override args = { name: Args.string({ description: 'Schedule name (see `mpv2 schedule list`)', required: true }) };

    async run(): Promise<void> {
      const { args, flags } = await this.parse(ScheduleChange);
      const project = await this.openLazyProject(flags);
      const { changeSchedule } = await import('../../../queue/ops.js');
      await changeSchedule(project, args.name, action);
      this.log(`Schedule "${args.name}" ${done}.`);
    }
  };
}
