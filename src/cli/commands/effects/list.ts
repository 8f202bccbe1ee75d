import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class EffectsList extends BaseCommand {
  static override summary = 'List recorded effects (uploads, posts, emails, POSTs)';
  static override description = `Each effect is recorded under a key before it acts and again when it is done, so it never happens twice.
pending: started but its outcome is unknown (a crash mid-act); settle it with \`mpv2 effects resolve <key> --done|--retry\`.
done: happened; repeated runs return the recorded result. failed: the act failed; the next run tries again.
With \`queue.url\` set, the workers' effects (in Redis) are listed too.`;
  static override examples = ['<%= config.bin %> effects list', '<%= config.bin %> effects list --status pending', '<%= config.bin %> effects list --run 20261127-161455Z-a1b2c3 --json'];
  static override flags = {
    status: Flags.string({ char: 's', description: 'Only effects with this status', options: ['pending', 'done', 'failed'] }),
    run: Flags.string({ char: 'r', description: 'Only effects of this run id' }),
    json: Flags.boolean({ description: 'Print the effects as a JSON array', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(EffectsList);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const [{ listEffects }, { openProjectStores }] = await Promise.all([import('../../../engine/admin/effects-admin.js'), import('../../../queue/project-stores.js')]);
    // the workers' effects too, when queue.url is set: those are the ones a crashed worker left in doubt
    const stores = await openProjectStores(project);
    const list = await listEffects(stores, { status: flags.status as 'pending' | 'done' | 'failed' | undefined, runId: flags.run }).finally(() => stores.close());
    if (this.jsonEnabled()) return list;
    if (list.length === 0) { this.log('No effects recorded.'); return; }
    const { formatTime, oneLine, table } = await import('../../../engine/admin/format.js');
    this.log(table(['KEY', 'STATUS', 'RUN', 'STEP', 'UPDATED (UTC)', 'ERROR'], list.map((e) => [e.key, e.status, e.runId, e.stepId, formatTime(e.updatedAt), e.error ? oneLine(`${e.error.code} ${e.error.message}`, 60) : ''])));
    const pending = list.filter((e) => e.status === 'pending').length;
    if (pending) this.log(`\n${pending} effect(s) in doubt: check the platform, then \`mpv2 effects resolve '<key>' --done\` (it happened) or \`--retry\` (act again).`);
  }
}
