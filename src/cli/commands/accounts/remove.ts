import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class AccountsRemove extends BaseCommand {
  static override summary = 'Remove an account and its stored secrets';
  static override description = 'The browser profile folder is kept unless --delete-profile (it may hold a signed-in session you want back). Effects already recorded stay, so nothing done with the account is repeated.';
  static override examples = ['<%= config.bin %> accounts remove old-channel', '<%= config.bin %> accounts remove old-channel --yes --delete-profile'];
  static override args = { name: Args.string({ description: 'Account name', required: true }) };
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation', default: false }),
    'delete-profile': Flags.boolean({ description: 'Also delete the account\'s browser profile folder', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AccountsRemove);
    const project = await this.openLazyProject(flags);
    const { accountsOf, confirm, isInteractive } = await import('./shared.js');
    const { removeAccount } = await import('../../../infra/accounts/index.js');
    const { mpv2Error } = await import('../../../errors.js');
    const accounts = await accountsOf(project);
    const a = await accounts.store.require(args.name);
    if (!flags.yes) {
      if (!isInteractive()) throw mpv2Error('E_USAGE', `removing account "${a.name}" needs confirmation`, { hint: 'pass --yes' });
      if (!(await confirm(`Remove ${a.platform} account "${a.name}" and its secrets${flags['delete-profile'] ? ` and delete ${a.profileDir}` : ''}?`))) { this.log('Nothing removed.'); return; }
    }
    const r = await removeAccount(accounts, a.name, { deleteProfile: flags['delete-profile'] });
    this.log(`✔ Removed account "${a.name}".${r.profileDeleted ? ` Deleted ${a.profileDir}.` : ` Its profile folder (if any) is kept: ${a.profileDir}`}`);
  }
}
