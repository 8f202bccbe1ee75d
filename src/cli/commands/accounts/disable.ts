import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class AccountsDisable extends BaseCommand {
  static override summary = 'Disable an account: rotation skips it, a step naming it fails with E_ACCOUNT';
  static override examples = ['<%= config.bin %> accounts disable main'];
  static override args = { name: Args.string({ description: 'Account name', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the account as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(AccountsDisable);
    const project = await this.openLazyProject(flags);
    const { accountsOf } = await import('./shared.js');
    const { setDisabled } = await import('../../../infra/accounts/index.js');
    const r = await setDisabled(await accountsOf(project), args.name, true);
    if (this.jsonEnabled()) return r.account;
    this.log(`✔ Account "${args.name}" is ${r.changed ? 'now' : 'already'} disabled.`);
  }
}
