import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class ScheduleList extends BaseCommand {
  static override summary = 'List schedules with their next fire times';
  static override examples = ['<%= config.bin %> schedule list', '<%= config.bin %> schedule list --next 5 --json'];
  static override flags = {
    next: Flags.integer({ description: 'Fire times shown per schedule', default: 1, min: 1, max: 50 }),
    json: Flags.boolean({ description: 'Print the schedules as a JSON array', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ScheduleList);
    const project = await this.openLazyProject(flags);
    const { listSchedules } = await import('../../../queue/ops.js');
    const rows = await listSchedules(project, flags.next);
    if (this.jsonEnabled()) return rows;
    if (rows.length === 0) { this.log('No schedules. Add one with `mpv2 schedule add <pipeline> --cron "0 9 * * *"`.'); return; }
    const { table } = await import('../../../engine/admin/format.js');
    this.log(table(['NAME', 'PIPELINE', 'CRON', 'TZ', 'STATE', 'NEXT (UTC)', 'LAST TICK'], rows.map((r) => [
      r.name, r.pipeline, r.cron, r.tz ?? 'local', r.paused ? 'paused' : 'active', r.next.join(' ') || '-', r.lastTick ? `${r.lastTick.tick} ${r.lastTick.status}` : '-',
    ])));
  }
}
