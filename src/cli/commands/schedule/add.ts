import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class ScheduleAdd extends BaseCommand {
  static override summary = 'Run a pipeline on a cron schedule';
  static override description = `\`mpv2 worker\` fires the schedule: once per tick, across all workers when \`queue.url\` is set. Cron by croner: five fields "minute hour day month weekday", or six with seconds first; --tz takes an IANA zone (DST-safe).
--overlap: what a fire does while the previous run of this schedule still goes (skip: logged and dropped; queue: runs after it).
--missed: what happens to fires missed while no worker ran (run-once: the latest runs once; skip: none run).`;
  static override examples = [
    '<%= config.bin %> schedule add pipelines/youtube-short.yaml --cron "0 9 * * *" --tz Europe/Berlin --input topic="Daily fact"',
    '<%= config.bin %> schedule add pipelines/outreach.yaml --cron "*/30 * * * *" --name outreach --overlap queue --missed skip',
  ];
  static override args = { file: Args.string({ description: 'Pipeline file (YAML)', required: true }) };
  static override flags = {
    cron: Flags.string({ description: 'Cron pattern, e.g. "0 9 * * *" (seconds optional as a sixth, first field)', required: true }),
    tz: Flags.string({ description: 'IANA time zone of the pattern, e.g. Europe/Berlin (default: the worker\'s zone)' }),
    input: Flags.string({ char: 'i', description: 'Pipeline input as name=value (checked now, stored with the schedule)', multiple: true, default: [] }),
    name: Flags.string({ description: 'Schedule name (default: the pipeline file name without extension)' }),
    overlap: Flags.string({ description: 'A fire while the previous run still goes', options: ['skip', 'queue'], default: 'skip' }),
    missed: Flags.string({ description: 'Fires missed while no worker ran', options: ['run-once', 'skip'], default: 'run-once' }),
    json: Flags.boolean({ description: 'Print the schedule as JSON', default: false }),
  };
  static override enableJsonFlag = true;
  static override jsonOneLine = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ScheduleAdd);
    const { openForPipeline } = await import('../../run-output.js');
    const project = (this.projectHandle = await openForPipeline(this, flags));
    const { addSchedule } = await import('../../../queue/ops.js');
    const r = await addSchedule({
      project, cwd: process.cwd(), file: args.file, cron: flags.cron, tz: flags.tz, name: flags.name, inputArgs: flags.input,
      overlap: flags.overlap as 'skip' | 'queue', missed: flags.missed as 'run-once' | 'skip',
    });
    if (this.jsonEnabled()) return { ...r.schedule, next: r.next.map((d) => d.toISOString()) };
    this.log(`Schedule "${r.schedule.name}": ${r.schedule.pipeline} at "${r.schedule.cron}"${r.schedule.tz ? ` (${r.schedule.tz})` : ''}.`);
    this.log(`Next: ${r.next.map((d) => d.toISOString()).join(', ')}`);
    this.log(r.mode === 'local' ? 'It fires while `mpv2 worker` runs in this project.' : 'It fires once per tick on the shared queue, whichever worker takes it.');
  }
}
