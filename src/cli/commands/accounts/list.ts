import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class AccountsList extends BaseCommand {
  static override summary = 'List accounts: platform, niche, uses today / daily cap, disabled, secrets stored';
  static override description = 'Secrets are never printed, only their names. The last line says whether .mpv2/credentials.json is encrypted (MPV2_MASTER_KEY).';
  static override examples = ['<%= config.bin %> accounts list', '<%= config.bin %> accounts list --platform youtube --json'];
  static override flags = {
    platform: Flags.string({ char: 'p', description: 'Only accounts of this platform' }),
    json: Flags.boolean({ description: 'Print { accounts, credentials } as JSON', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(AccountsList);
    const project = await this.openLazyProject(flags);
    const { accountsOf } = await import('./shared.js');
    const { listAccounts } = await import('../../../infra/accounts/index.js');
    const r = await listAccounts(await accountsOf(project));
    const accounts = r.accounts.filter((a) => !flags.platform || a.platform === flags.platform);
    if (this.jsonEnabled()) return { accounts, credentials: r.credentials };
    if (accounts.length === 0) this.log('No accounts. Add one with `mpv2 accounts add <platform> --name <name>`.');
    else {
      const { formatTime, table } = await import('../../../engine/admin/format.js');
      this.log(table(['NAME', 'PLATFORM', 'NICHE', 'LANG', 'TODAY', 'STATUS', 'LAST USE (UTC)', 'SECRETS'], accounts.map((a) => [
        a.name, a.platform, a.niche ?? '-', a.language ?? '-', `${a.usesToday}/${a.maxPerDay ?? '∞'}`,
        a.disabled ? 'disabled' : a.maxPerDay !== undefined && a.usesToday >= a.maxPerDay ? 'capped' : 'ok', formatTime(a.lastUse), a.secretKeys.join(',') || '-',
      ])));
    }
    const c = r.credentials;
    this.log(c.encrypted
      ? `\nCredentials: ${c.file} encrypted (AES-256-GCM)${c.keySet ? '' : ', but MPV2_MASTER_KEY is not set: plugins cannot read them'}.`
      : c.exists ? `\nCredentials: ${c.file} NOT encrypted (mode ${c.mode}); set MPV2_MASTER_KEY to encrypt it on the next change.` : '\nCredentials: none stored yet.');
  }
}
