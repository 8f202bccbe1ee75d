import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class SchedulePosts extends BaseCommand {
  static override summary = 'Show the upcoming posts per account (posting slots)';
  static override description = 'For each account with posting slots (`mpv2 accounts add … --slots 09:00,18:00 --timezone Europe/Berlin`): the slots reserved by runs (`publishAt: next-slot`), with the run and step that hold them, and the next free slots. Times are shown in UTC and in the account\'s time zone.';
  static override examples = ['<%= config.bin %> schedule posts', '<%= config.bin %> schedule posts --account studio --free 5 --json'];
  static override flags = {
    account: Flags.string({ description: 'Only this account' }),
    free: Flags.integer({ description: 'Free slots shown per account', default: 3, min: 0, max: 50 }),
    json: Flags.boolean({ description: 'Print the accounts as a JSON array', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(SchedulePosts);
    const project = await this.openLazyProject(flags);
    const { accountsOf } = await import('../accounts/shared.js');
    const { upcomingPosts } = await import('../../../infra/accounts/upcoming.js');
    const rows = await upcomingPosts((await accountsOf(project)).store, { now: new Date(), account: flags.account, free: flags.free });
    if (this.jsonEnabled()) return rows;
    if (rows.length === 0) { this.log('No account has posting slots. Give one some with `mpv2 accounts add <platform> --name <name> --update --slots 09:00,18:00 --timezone <zone>`.'); return; }
    const local = (iso: string, tz: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: tz, hour12: false }).slice(0, 16);
    const { table } = await import('../../../engine/admin/format.js');
    this.log(table(['ACCOUNT', 'PLATFORM', 'WHEN (UTC)', 'LOCAL', 'WHAT'], rows.flatMap((a) => [
      ...a.reserved.map((r) => [a.account, a.platform, r.at.slice(0, 16).replace('T', ' '), `${local(r.at, a.timezone)} ${a.timezone}`, `reserved by ${r.runId ?? '?'} ${r.stepId ?? ''}`.trim()]),
      ...a.free.map((f) => [a.account, a.platform, f.slice(0, 16).replace('T', ' '), `${local(f, a.timezone)} ${a.timezone}`, 'free']),
    ])));
  }
}
