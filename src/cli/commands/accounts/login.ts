import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { forTerminal } from '../../output/terminal-text.js';
import { EXIT } from '../../exit-codes.js';

export default class AccountsLogin extends BaseCommand {
  static override summary = 'Sign an account in: Chromium on its profile, or the platform\'s own flow (OAuth)';
  static override description = `Browser accounts: opens Chromium directly on the account's profile (no WebDriver, so Google and X let you sign in) at the platform's sign-in page or --url; sign in, then close the window. The profile stays locked meanwhile, so no run drives it at the same time; later runs reuse the signed-in profile.
Platforms with their own sign-in (e.g. YouTube's OAuth for driver api) run it instead and store what it returns (a refresh token) with the account's secrets.
Needs a display for the browser window.`;
  static override examples = ['<%= config.bin %> accounts login studio', '<%= config.bin %> accounts login x-main --url https://x.com/login'];
  static override args = { name: Args.string({ description: 'Account name', required: true }) };
  static override flags = {
    url: Flags.string({ description: 'Page to open instead of the platform\'s sign-in page' }),
    // tests only: a CI machine has no display
    headless: Flags.boolean({ hidden: true, default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(AccountsLogin);
    const project = await this.openProject(flags);
    const { accountsOf, accountTypes } = await import('./shared.js');
    const { findAccountType, loginAccount } = await import('../../../infra/accounts/index.js');
    const { join } = await import('node:path');
    const accounts = await accountsOf(project);
    const account = await accounts.store.require(args.name);
    const types = await accountTypes(project);
    const type = findAccountType(types.map((t) => t.type), account.platform);
    const ns = types.find((t) => t.type === type)!.namespace;
    const ac = new AbortController();
    let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
    const stop = (sig: 'SIGINT' | 'SIGTERM') => () => { stoppedBy = sig; ac.abort(); };
    const onInt = stop('SIGINT');
    const onTerm = stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    try {
      const r = await loginAccount(accounts, {
        name: account.name, type, config: ((project.config.values as Record<string, unknown>)[ns] as Record<string, unknown>) ?? {},
        url: flags.url, chromiumPath: project.config.values.browser.chromiumPath, locksDir: join(project.root, '.mpv2', 'locks'),
        headless: flags.headless, signal: ac.signal, redactor: project.redactor,
        print: (line) => process.stderr.write(`${forTerminal(line)}\n`), log: { info: (m) => process.stderr.write(`${forTerminal(m)}\n`), warn: (m) => process.stderr.write(`! ${forTerminal(m)}\n`) },
      });
      if (stoppedBy) this.exit(stoppedBy === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
      this.log(r.mode === 'browser'
        ? `✔ Browser closed; the profile of "${account.name}" is free for runs (${account.profileDir}).`
        : `✔ Signed in "${account.name}"${r.storedKeys.length ? `; stored ${r.storedKeys.join(', ')}` : ''}.`);
    } finally {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
    }
  }
}
