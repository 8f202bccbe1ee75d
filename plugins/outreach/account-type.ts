/** The `email` account type: what `mpv2 accounts add email` asks for (an SMTP sender). */
import type { AccountType } from 'mpv2/plugin';
import { checkEmailAccount } from './account-check.js';
import { smtpSchema } from './config.js';

export const emailAccountType: AccountType = {
  platform: 'email',
  description: 'An SMTP sender for outreach.send: server, STARTTLS or TLS, login, From line and unsubscribe address.',
  check: (ctx) => checkEmailAccount(ctx),
  schema: { ...smtpSchema, required: ['host', 'fromAddress'] },
};
