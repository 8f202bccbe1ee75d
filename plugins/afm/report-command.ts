/** `mpv2 afm report`: the campaigns afm.campaign recorded, and what became of each pitch's post. */
import { Flags, formatTime, oneLine, table, type CommandDef } from 'mpv2/plugin';
import { buildReport } from './report.js';

export const reportCommand: CommandDef = {
  summary: 'List affiliate campaigns, their products, pitches, links and posts',
  description: `Reads the afm.campaign history (.mpv2/state.db, store namespace "afm") and the twitter.post effects of each pitch.
A pitch is "posted" once its post effect is done, "failed" or "pending" (in doubt) when the post did not go through, "not posted" before the posting step ran.`,
  examples: ['<%= config.bin %> afm report', '<%= config.bin %> afm report --campaign spring', '<%= config.bin %> afm report --json'],
  flags: {
    campaign: Flags.string({ char: 'c', description: 'Only this campaign' }),
    json: Flags.boolean({ description: 'Print { campaigns, rows } as JSON', default: false }),
  },
  async run(ctx, { flags }) {
    const campaign = flags.campaign as string | undefined;
    const entries = await ctx.store.list('');
    const effects = new Map((await ctx.effects()).map((e) => [e.key, e]));
    const report = buildReport(entries, (k) => effects.get(k), campaign);
    if (flags.json) { ctx.log(JSON.stringify(report, null, 2)); return; }
    if (report.campaigns.length === 0) { ctx.log(campaign ? `No campaign named "${campaign}".` : 'No affiliate campaigns yet: run a pipeline with afm.campaign.'); return; }
    ctx.log(table(['CAMPAIGN', 'TAG', 'PLATFORMS', 'ACCOUNT', 'RUNS', 'LAST RUN (UTC)'], report.campaigns.map((c) => [c.name, c.tag, c.platforms.join(','), c.account, String(c.runs), formatTime(c.lastRunAt)])));
    ctx.log('');
    ctx.log(table(['CAMPAIGN', 'PRODUCT', 'TITLE', 'PLATFORM', 'STATUS', 'POSTED (UTC)', 'POST', 'LINK'], report.rows.map((r) => [
      r.campaign, r.product, oneLine(r.title, 40), r.platform, r.status, formatTime(r.postedAt), r.postUrl ?? '-', r.link,
    ])));
    const posted = report.rows.filter((r) => r.status === 'posted').length;
    ctx.log(`\n${report.rows.length} pitch(es), ${posted} posted.`);
  },
};
