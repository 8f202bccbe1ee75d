import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';

export default class Approvals extends BaseCommand {
  static override summary = 'List effect steps waiting for approval (or all decisions)';
  static override description = `An effect step with \`approval: required\` (or a config \`approvals\` default) stops before it acts and waits here, with a preview of what it would do: what its dry run writes, and the files it names in the run's folder.
Decide with \`mpv2 approve <id>\` or \`mpv2 reject <id> --note "why"\`. With \`queue.url\` set, the approvals of the workers (shared Redis) are listed too.`;
  static override examples = ['<%= config.bin %> approvals', '<%= config.bin %> approvals --all', '<%= config.bin %> approvals --json'];
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'Also the decided ones (approved, rejected)', default: false }),
    run: Flags.string({ char: 'r', description: 'Only approvals of this run id' }),
    json: Flags.boolean({ description: 'Print the approvals as a JSON array (with the whole preview)', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Approvals);
    const project = await this.openLazyProject(flags);
    const { openApprovals, listProjectApprovals } = await import('../../queue/approvals.js');
    const stores = await openApprovals(project);
    let list;
    try {
      list = await listProjectApprovals(stores, { status: flags.all ? 'all' : 'pending', runId: flags.run });
    } finally {
      await stores.close();
    }
    if (this.jsonEnabled()) return list;
    if (list.length === 0) { this.log(flags.all ? 'No approvals recorded.' : 'Nothing waits for approval.'); return; }
    const { formatTime, table } = await import('../../engine/admin/format.js');
    const { previewLine, stepLabel } = await import('../../engine/approvals.js');
    const head = ['ID', 'RUN', 'STEP', 'PLUGIN', ...(flags.all ? ['STATUS'] : []), 'CREATED (UTC)', 'PREVIEW'];
    this.log(table(head, list.map((a) => [a.id, a.runId, stepLabel(a), a.plugin, ...(flags.all ? [a.status] : []), formatTime(a.createdAt), previewLine(a, 60)])));
    const pending = list.filter((a) => a.status === 'pending');
    if (pending.length) this.log(`\n${pending.length} waiting: \`mpv2 approve <id>\` (acts once and continues the run) or \`mpv2 reject <id> --note "why"\`; \`--json\` shows the whole preview.`);
  }
}
