import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { forTerminal } from '../../output/terminal-text.js';

export default class AccountsCheck extends BaseCommand {
  static override summary = 'Check accounts against their platforms: token validity, scopes, quota left, and the account\'s own daily cap';
  static override description = `Runs each account's platform check (the cheapest call the platform offers: a token refresh, "who am I", the publishing limit); nothing is posted. Each account's secrets go only to the plugin of its platform, and are never printed.
A failing or silent check (--timeout) is one line of the report. Exits 1 when any account is in error.`;
  static override examples = ['<%= config.bin %> accounts check', '<%= config.bin %> accounts check studio ig-main --json'];
  static override strict = false;
  static override args = { name: Args.string({ description: 'Account names (default: every account)', required: false }) };
  static override flags = {
    timeout: Flags.integer({ description: 'Seconds to wait for one account\'s check', default: 20, min: 1 }),
    json: Flags.boolean({ description: 'Print { accounts: [...] } as JSON', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(AccountsCheck);
    const project = await this.openProject(flags);
    const { accountsOf, accountTypes } = await import('./shared.js');
    const { checkAccounts } = await import('../../../infra/accounts/index.js');
    const { namespaceKv } = await import('../../../infra/store/types.js');
    const accounts = await accountsOf(project);
    accounts.credentials.checkKey();
    const types = await accountTypes(project);
    const ac = new AbortController();
    const onInt = () => ac.abort();
    process.on('SIGINT', onInt);
    let rows;
    try {
      rows = await checkAccounts(accounts, {
        names: argv as string[], types,
        configOf: (ns) => ((project.config.values as Record<string, unknown>)[ns] as Record<string, unknown>) ?? {},
        storeOf: (ns) => namespaceKv(project.state().kv, ns), root: project.root,
        http: project.config.values.http, redactor: project.redactor, timeoutMs: flags.timeout * 1000, signal: ac.signal,
      });
    } finally {
      process.removeListener('SIGINT', onInt);
    }
    if (rows.some((r) => r.level === 'error')) process.exitCode = 1;
    if (this.jsonEnabled()) return { accounts: rows };
    if (rows.length === 0) { this.log('No accounts. Add one with `mpv2 accounts add <platform> --name <name>`.'); return; }
    const { table } = await import('../../../engine/admin/format.js');
    this.log(table(['NAME', 'PLATFORM', 'CHECK', 'QUOTA LEFT', 'TODAY', 'SCOPES', 'MESSAGE'], rows.map((r) => [
      r.name, r.platform, r.level, r.quota ?? '-', `${r.usesToday}/${r.maxPerDay ?? '∞'}${r.disabled ? ' (disabled)' : ''}`,
      r.scopes?.join(' ') || '-', forTerminal(r.message + (r.hint ? ` — ${r.hint}` : '')),
    ])));
  }
}
