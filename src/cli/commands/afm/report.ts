import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class AfmReport extends BaseCommand {
  static override summary = 'List affiliate campaigns, their products, pitches, links and posts';
  static override description = `Reads the afm.campaign history (.mpv2/state.db, store namespace "afm") and the twitter.post effects of each pitch.
A pitch is "posted" once its post effect is done, "failed" or "pending" (in doubt) when the post did not go through, "not posted" before the posting step ran.`;
  static override examples = ['<%= config.bin %> afm report', '<%= config.bin %> afm report --campaign spring', '<%= config.bin %> afm report --json'];
  static override flags = {
    campaign: Flags.string({ char: 'c', description: 'Only this campaign' }),
    json: Flags.boolean({ description: 'Print { campaigns, rows } as JSON', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(AfmReport);
    const project = await this.openProject(flags);
    const state = project.state();
    const { buildReport } = await import('../../../../plugins/afm/report.js');
    const entries = await state.kv.list('afm', '');
    const effects = new Map((await state.effects.list()).map((e) => [e.key, e]));
    const report = buildReport(entries, (k) => effects.get(k), flags.campaign);
    if (flags.json) { this.log(JSON.stringify(report, null, 2)); return; }
    if (report.campaigns.length === 0) { this.log(flags.campaign ? `No campaign named "${flags.campaign}".` : 'No affiliate campaigns yet: run a pipeline with afm.campaign.'); return; }
    const { formatTime, oneLine, table } = await import('../../../engine/admin/format.js');
    this.log(table(['CAMPAIGN', 'TAG', 'PLATFORMS', 'ACCOUNT', 'RUNS', 'LAST RUN (UTC)'], report.campaigns.map((c) => [c.name, c.tag, c.platforms.join(','), c.account, String(c.runs), formatTime(c.lastRunAt)])));
    this.log('');
    this.log(table(['CAMPAIGN', 'PRODUCT', 'TITLE', 'PLATFORM', 'STATUS', 'POSTED (UTC)', 'POST', 'LINK'], report.rows.map((r) => [
      r.campaign, r.product, oneLine(r.title, 40), r.platform, r.status, formatTime(r.postedAt), r.postUrl ?? '-', r.link,
    ])));
    const posted = report.rows.filter((r) => r.status === 'posted').length;
    this.log(`\n${report.rows.length} pitch(es), ${posted} posted.`);
  }
}
