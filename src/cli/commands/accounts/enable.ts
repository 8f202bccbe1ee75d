import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class AccountsEnable extends BaseCommand {
  static override summary = 'Enable an account again: rotation and named steps may use it';
  static override examples = ['<%= config.bin %> accounts enable main'];
  static override args = { name: Args.string({ description: 'Account name', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the account as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(AccountsEnable);
    const project = await this.openLazyProject(flags);
    const { accountsOf } = await import('./shared.js');
    const { setDisabled } = await import('../../../infra/accounts/index.js');
    const r = await setDisabled(await accountsOf(project), args.name, false);
    if (this.jsonEnabled()) return r.account;
    this.log(`✔ Account "${args.name}" is ${r.changed ? 'now' : 'already'} enabled.`);
  }
}
