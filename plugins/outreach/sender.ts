/**
 * Who sends: an `email` account (`with.from`, from `mpv2 accounts`) or the config's
 * `outreach.smtp` block. Secrets come from the account's credentials, never from the pipeline.
 */
import { mpv2Error } from 'mpv2/plugin';
import type { Account, AccountSpec, StepContext } from 'mpv2/plugin';
import { isValidAddress, normaliseAddress } from './address.js';
import type { OutreachConfig, SmtpSettings } from './config.js';

export interface Sender {
  /** The account name, when the sender is an account (for `recordUse` and daily caps). */
  account?: Account;
  settings: SmtpSettings & { fromAddress: string };
  /** Where the settings came from, for messages. */
  label: string;
}

export async function resolveSender(ctx: StepContext, from: AccountSpec | undefined, needServer: boolean): Promise<Sender> {
  const named = typeof from === 'string' ? from : '<name>';
  let settings: SmtpSettings;
  let account: Account | undefined;
  let label: string;
  if (from) {
    account = await ctx.accounts.resolve(from);
    if (account.platform !== 'email') {
      throw mpv2Error('E_ACCOUNT', `account "${account.name}" is a ${account.platform} account, not an email account`, { hint: '`mpv2 accounts add email <name>` adds an SMTP sender' });
    }
    const creds = await ctx.accounts.credentials(account.name);
    settings = { ...(account.settings as SmtpSettings), ...coerce(creds) };
    label = `account "${account.name}"`;
  } else {
    settings = { ...(ctx.config as OutreachConfig).smtp };
    label = 'config outreach.smtp';
  }
  const fromAddress = settings.fromAddress ? normaliseAddress(settings.fromAddress) : settings.user && isValidAddress(normaliseAddress(settings.user)) ? normaliseAddress(settings.user) : undefined;
  if (!fromAddress || !isValidAddress(fromAddress)) {
    throw mpv2Error('E_MISSING_KEY', `no From address for the campaign (${label})`, {
      hint: from ? `set fromAddress on the account: \`mpv2 accounts add email ${named}\`` : 'name an email account with `from:`, or set outreach.smtp.fromAddress in the config',
    });
  }
  if (needServer && !settings.host) {
    throw mpv2Error('E_MISSING_KEY', `no SMTP server for the campaign (${label})`, {
      hint: from ? `set host on the account: \`mpv2 accounts add email ${named}\`` : 'name an email account with `from:` (`mpv2 accounts add email <name>`), or set outreach.smtp.host in the config',
    });
  }
  return { account, settings: { ...settings, fromAddress }, label };
}

/** Credentials are strings; the port and booleans of an account may be stored as text. */
export function coerce(creds: Readonly<Record<string, string>>): SmtpSettings {
  const out: Record<string, unknown> = { ...creds };
  if (typeof out.port === 'string') out.port = Number(out.port);
  if (typeof out.rejectUnauthorized === 'string') out.rejectUnauthorized = out.rejectUnauthorized !== 'false';
  return out as SmtpSettings;
}
