/**
 * `mpv2 accounts check` for email: connects to the account's SMTP server and logs in (STARTTLS
 * or TLS as configured), sends nothing. SMTP tells no sending quota, so only the account's own
 * daily cap is shown.
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { AccountCheckContext, AccountCheckReport } from 'mpv2/plugin';
import type { SmtpSettings } from './config.js';
import { coerce } from './sender.js';
import { openTransport } from './transport.js';

export async function checkEmailAccount(ctx: AccountCheckContext): Promise<AccountCheckReport> {
  const s = { ...(ctx.account.settings as SmtpSettings), ...coerce(ctx.credentials) };
  if (!s.host) return { level: 'error', message: 'no SMTP host set', hint: `\`mpv2 accounts add email --name ${ctx.account.name} --update --set host=…\`` };
  const transport = openTransport({ ...s, host: s.host }, ctx.root);
  const stop = () => transport.close();
  ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    await transport.verify();
    return { level: 'ok', message: `${transport.server}: connected${s.user ? ` and logged in as ${s.user}` : ' (no login configured)'}; nothing sent` };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { level: 'error', message: e.message, hint: e.hint };
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    transport.close();
  }
}
