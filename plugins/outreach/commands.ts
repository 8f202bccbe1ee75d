/** `mpv2 outreach report <campaign>` and `mpv2 outreach suppress`: a campaign's outcome, and the suppression list. */
import { Args, Flags, formatTime, mpv2Error, oneLine, table, type CommandDef } from 'mpv2/plugin';
import { listSuppressed, suppress, suppressionEntry, unsuppress } from './records.js';
import { campaignReport, knownCampaigns } from './report.js';

export const reportCommand: CommandDef = {
  summary: 'Show one email campaign: who was mailed, skipped (why), failed (why), in doubt',
  description: `Reads the campaign records and the effect history of outreach.send.
In doubt: a run stopped while a message was being sent; check the mailbox, then \`mpv2 effects resolve <key> --done\` (it went out) or \`--retry\`.`,
  examples: ['<%= config.bin %> outreach report spring-2025', '<%= config.bin %> outreach report spring-2025 --json'],
  args: { campaign: Args.string({ description: 'Campaign name (the `campaign` input of outreach.send)', required: true }) },
  flags: { json: Flags.boolean({ description: 'Print the report as JSON', default: false }) },
  strict: true,
  async run(ctx, { args, flags }) {
    const campaign = args.campaign as string;
    const effects = await ctx.effects();
    const r = await campaignReport(ctx.store, effects, campaign);
    if (!r.sent.length && !r.failed.length && !r.skipped.length && !r.inDoubt.length) {
      const known = await knownCampaigns(ctx.store, effects);
      throw mpv2Error('E_NOT_FOUND', `no campaign named "${campaign}" has been run in this project`, { hint: known.length ? `known campaigns: ${known.join(', ')}` : 'run a pipeline with an outreach.send step first' });
    }
    if (flags.json) { ctx.log(JSON.stringify(r, null, 2)); return; }
    ctx.log(`Campaign ${r.campaign}: ${r.sent.length} sent, ${r.skipped.length} skipped, ${r.failed.length} failed, ${r.inDoubt.length} in doubt`);
    if (r.sent.length) { ctx.log('\nSent'); ctx.log(table(['EMAIL', 'AT (UTC)', 'RUN'], r.sent.map((s) => [s.email, formatTime(s.at), s.runId]))); }
    if (r.skipped.length) { ctx.log('\nSkipped'); ctx.log(table(['EMAIL', 'AT (UTC)', 'WHY'], r.skipped.map((s) => [s.email, formatTime(s.at), oneLine(s.reason, 80)]))); }
    if (r.failed.length) { ctx.log('\nFailed'); ctx.log(table(['EMAIL', 'AT (UTC)', 'CODE', 'WHY'], r.failed.map((s) => [s.email, formatTime(s.at), `${s.smtpCode ?? ''}${s.permanent ? ' permanent' : ''}`, oneLine(s.reason, 80)]))); }
    if (r.inDoubt.length) {
      ctx.log('\nIn doubt');
      ctx.log(table(['EMAIL', 'SINCE (UTC)', 'KEY'], r.inDoubt.map((s) => [s.email, formatTime(s.since), s.key])));
      ctx.log(`\nCheck the mailbox, then \`mpv2 effects resolve '<key>' --done\` (it went out) or \`--retry\` (send it on the next run).`);
    }
  },
};

export const suppressCommand: CommandDef = {
  summary: 'Never email an address (or a whole @domain) again, from any campaign',
  description: `Adds addresses to the project's suppression list, which outreach.send always honours (on top of the file in config \`outreach.suppressionFile\`).
An argument with no @, or starting with @, suppresses the whole domain. --remove takes entries off the list; --list prints it.`,
  examples: [
    '<%= config.bin %> outreach suppress anna@example.com --reason "asked by phone"',
    '<%= config.bin %> outreach suppress @competitor.com',
    '<%= config.bin %> outreach suppress --list',
    '<%= config.bin %> outreach suppress anna@example.com --remove',
  ],
  strict: false,
  args: { address: Args.string({ description: 'Email address or @domain (several may follow)', required: false }) },
  flags: {
    reason: Flags.string({ description: 'Why (shown in skips and the report)', default: 'suppressed by hand' }),
    remove: Flags.boolean({ description: 'Take the entries off the list instead', default: false }),
    list: Flags.boolean({ description: 'Print the suppression list', default: false }),
    json: Flags.boolean({ description: 'With --list: print JSON', default: false }),
  },
  async run(ctx, { argv, flags }) {
    const entries = argv.filter((a) => a.trim() !== '');
    if (flags.list) {
      const list = await listSuppressed(ctx.store);
      if (flags.json) { ctx.log(JSON.stringify(list, null, 2)); return; }
      if (list.length === 0) { ctx.log('The suppression list is empty.'); return; }
      for (const s of list) ctx.log(`${s.entry}\t${s.at.slice(0, 10)}\t${s.reason}`);
      return;
    }
    if (entries.length === 0) throw mpv2Error('E_USAGE', 'name at least one address or @domain', { hint: '`mpv2 outreach suppress anna@example.com`, or --list' });
    for (const raw of entries) {
      const entry = suppressionEntry(raw);
      if (!/^@?[^@\s]+(@[^@\s]+\.[^@\s]+)?$/.test(entry) || (!entry.startsWith('@') && !entry.includes('@'))) {
        throw mpv2Error('E_USAGE', `"${raw}" is neither an email address nor a @domain`);
      }
      if (flags.remove) {
        const had = await unsuppress(ctx.store, raw);
        ctx.log(had ? `removed ${entry}` : `${entry} was not on the list`);
      } else {
        await suppress(ctx.store, raw, flags.reason as string);
        ctx.log(`suppressed ${entry}`);
      }
    }
  },
};
