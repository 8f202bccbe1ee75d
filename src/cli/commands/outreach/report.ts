import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class OutreachReport extends BaseCommand {
  static override summary = 'Show one email campaign: who was mailed, skipped (why), failed (why), in doubt';
  static override description = `Reads the campaign records and the effect history of outreach.send.
In doubt: a run stopped while a message was being sent; check the mailbox, then \`mpv2 effects resolve <key> --done\` (it went out) or \`--retry\`.`;
  static override examples = ['<%= config.bin %> outreach report spring-2025', '<%= config.bin %> outreach report spring-2025 --json'];
  static override args = { campaign: Args.string({ description: 'Campaign name (the `campaign` input of outreach.send)', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the report as JSON', default: false }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OutreachReport);
    const project = await this.openLazyProject(flags);
    const { listEffects } = await import('../../../engine/admin/effects-admin.js');
    const { campaignReport, knownCampaigns } = await import('../../../../plugins/outreach/report.js');
    const { mpv2Error } = await import('../../../errors.js');
    const state = project.state();
    const store = namespaceStore(state.kv, 'outreach');
    const effects = await listEffects(state, {});
    const r = await campaignReport(store, effects, args.campaign);
    if (!r.sent.length && !r.failed.length && !r.skipped.length && !r.inDoubt.length) {
      const known = await knownCampaigns(store, effects);
      throw mpv2Error('E_NOT_FOUND', `no campaign named "${args.campaign}" has been run in this project`, { hint: known.length ? `known campaigns: ${known.join(', ')}` : 'run a pipeline with an outreach.send step first' });
    }
    if (flags.json) { this.log(JSON.stringify(r, null, 2)); return; }
    const { formatTime, oneLine, table } = await import('../../../engine/admin/format.js');
    this.log(`Campaign ${r.campaign}: ${r.sent.length} sent, ${r.skipped.length} skipped, ${r.failed.length} failed, ${r.inDoubt.length} in doubt`);
    if (r.sent.length) { this.log('\nSent'); this.log(table(['EMAIL', 'AT (UTC)', 'RUN'], r.sent.map((s) => [s.email, formatTime(s.at), s.runId]))); }
    if (r.skipped.length) { this.log('\nSkipped'); this.log(table(['EMAIL', 'AT (UTC)', 'WHY'], r.skipped.map((s) => [s.email, formatTime(s.at), oneLine(s.reason, 80)]))); }
    if (r.failed.length) { this.log('\nFailed'); this.log(table(['EMAIL', 'AT (UTC)', 'CODE', 'WHY'], r.failed.map((s) => [s.email, formatTime(s.at), `${s.smtpCode ?? ''}${s.permanent ? ' permanent' : ''}`, oneLine(s.reason, 80)]))); }
    if (r.inDoubt.length) {
      this.log('\nIn doubt');
      this.log(table(['EMAIL', 'SINCE (UTC)', 'KEY'], r.inDoubt.map((s) => [s.email, formatTime(s.since), s.key])));
      this.log(`\nCheck the mailbox, then \`mpv2 effects resolve '<key>' --done\` (it went out) or \`--retry\` (send it on the next run).`);
    }
  }
}

/** The project's key-value store seen as one plugin namespace (what `ctx.store` is for outreach.*). */
export function namespaceStore(kv: import('../../../infra/store/types.js').KvStore, ns: string): import('../../../plugin/types.js').KeyValueStore {
  return {
    get: (k) => kv.get(ns, k),
    set: (k, v) => kv.set(ns, k, v),
    delete: (k) => kv.delete(ns, k),
    list: (p) => kv.list(ns, p),
  };
}
