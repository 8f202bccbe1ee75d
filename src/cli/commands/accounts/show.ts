import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class AccountsShow extends BaseCommand {
  static override summary = 'Show one account; secrets appear as [REDACTED]';
  static override examples = ['<%= config.bin %> accounts show main', '<%= config.bin %> accounts show main --json'];
  static override args = { name: Args.string({ description: 'Account name', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the account as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(AccountsShow);
    const project = await this.openLazyProject(flags);
    const { accountsOf } = await import('./shared.js');
    const { showAccount } = await import('../../../infra/accounts/index.js');
    const a = await showAccount(await accountsOf(project), args.name);
    if (this.jsonEnabled()) return a;
    const lines: Array<[string, unknown]> = [
      ['name', a.name], ['platform', a.platform], ['niche', a.niche], ['language', a.language], ['profile', a.profileDir],
      ['uses today', `${a.usesToday}${a.maxPerDay !== undefined ? ` of ${a.maxPerDay} (maxPerDay)` : ' (no cap)'}`],
      ['last use', a.lastUse], ['status', a.disabled ? 'disabled' : 'enabled'], ['added', a.createdAt],
    ];
    for (const [k, v] of lines) if (v !== undefined) this.log(`${k.padEnd(11)} ${String(v)}`);
    for (const [k, v] of Object.entries(a.settings)) this.log(`${`  ${k}`.padEnd(11)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    for (const [k, v] of Object.entries(a.secrets)) this.log(`${`  ${k}`.padEnd(11)} ${v}`);
  }
}
