import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';

export default class AccountsAdd extends BaseCommand {
  static override summary = 'Add an account (YouTube channel, X account, SMTP sender …) for a platform';
  static override description = `The platform's plugin says which fields an account has (\`mpv2 accounts add <platform> --help\` does not list them: see the plugin's docs, or run it on a terminal to be asked for each required one). Non-secret fields go with --set key=value, secrets with --secret key=value; a field the plugin marks secret is stored as a secret whichever flag carried it.
Secrets go to .mpv2/credentials.json (mode 0600; AES-256-GCM when MPV2_MASTER_KEY is set), never to the state database, logs or journal.
Without a terminal, missing required fields are an error that lists them.`;
  static override examples = [
    '<%= config.bin %> accounts add youtube --name main --niche tech --set driver=api --secret clientId=… --secret clientSecret=…',
    '<%= config.bin %> accounts add youtube --name studio --set driver=browser --max-per-day 3',
    '<%= config.bin %> accounts add email --name sales --set host=smtp.example.org --set user=me@example.org --secret password=…',
    '<%= config.bin %> accounts add email --name sales --update --max-per-day 200',
    '<%= config.bin %> accounts add youtube --name studio --update --slots 09:00,13:00,18:00 --timezone Europe/Berlin',
  ];
  static override args = { platform: Args.string({ description: 'Platform (from the installed plugins): youtube, twitter, email …', required: true }) };
  static override flags = {
    name: Flags.string({ char: 'n', description: 'Unique account name (letters, digits, . _ -)', required: true }),
    niche: Flags.string({ description: 'Niche, for rotation filters (`account: { platform, niche }`)' }),
    language: Flags.string({ description: 'Language, for rotation filters' }),
    profile: Flags.string({ description: 'Browser profile folder (default .mpv2/profiles/<name>)' }),
    'max-per-day': Flags.integer({ description: 'Most acts (uploads, posts, emails) per UTC day', min: 0 }),
    slots: Flags.string({ description: 'Local times it posts at, for `publishAt: next-slot` (e.g. 09:00,13:00,18:00)' }),
    timezone: Flags.string({ description: 'IANA time zone of --slots (default UTC), e.g. Europe/Berlin' }),
    set: Flags.string({ description: 'A non-secret field: key=value (repeatable)', multiple: true, default: [] }),
    secret: Flags.string({ description: 'A secret field: key=value (repeatable)', multiple: true, default: [] }),
    update: Flags.boolean({ description: 'Change an existing account: given fields replace the stored ones', default: false }),
    json: Flags.boolean({ description: 'Print the account (no secrets) as JSON', default: false }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(AccountsAdd);
    const project = await this.openProject(flags);
    const { accountsOf, accountTypes, askField, isInteractive } = await import('./shared.js');
    const { addAccount, findAccountType, parsePairs } = await import('../../../infra/accounts/index.js');
    const type = findAccountType((await accountTypes(project)).map((t) => t.type), args.platform);
    const accounts = await accountsOf(project);
    const r = await addAccount(accounts, type, {
      name: flags.name, niche: flags.niche, language: flags.language, profile: flags.profile, maxPerDay: flags['max-per-day'],
      slots: flags.slots?.split(',').map((s) => s.trim()).filter(Boolean), timezone: flags.timezone,
      settings: parsePairs(flags.set, '--set'), secrets: parsePairs(flags.secret, '--secret'), update: flags.update,
      ask: isInteractive() ? askField(type.platform) : undefined,
    });
    if (this.jsonEnabled()) return { ...r.account, secretKeys: r.secretKeys };
    const status = accounts.credentials.status();
    this.log(`✔ ${r.created ? 'Added' : 'Updated'} ${r.account.platform} account "${r.account.name}"${r.secretKeys.length ? ` with secret(s) ${r.secretKeys.join(', ')}` : ''}.`);
    if (r.secretKeys.length && !status.encrypted) this.log(`! ${status.file} is not encrypted (mode 0600 only): set MPV2_MASTER_KEY to encrypt it.`);
    if (type.browserLogin || type.login) this.log(`  Next: \`mpv2 accounts login ${r.account.name}\` to sign in.`);
  }
}
