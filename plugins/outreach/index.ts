/** The outreach namespace: lead discovery and email campaigns. */
import { defineNamespace } from 'mpv2/plugin';
import { reportCommand, suppressCommand } from './commands.js';
import { outreachConfigSchema } from './config.js';
import leads from './leads.js';
import send from './send.js';
import { SMTP_ERRORS } from './smtp-errors.js';

export default [leads, send];

export const namespace = defineNamespace({
  namespace: 'outreach',
  description: 'Email outreach: suppression list, campaign reports',
  config: { schema: outreachConfigSchema, env: { SMTP_PASSWORD: 'smtp.password' } },
  commands: { report: reportCommand, suppress: suppressCommand },
  errors: SMTP_ERRORS,
});
