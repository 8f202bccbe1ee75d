/**
 * One message for one lead: template variables, subject, plain-text and HTML parts with the
 * unsubscribe footer, a stable Message-ID (the same campaign and address always get the same
 * one), and the List-Unsubscribe headers mail providers use for their unsubscribe button.
 */
import { basename } from 'node:path';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { sha256 } from 'mpv2/plugin';
import { domainOf } from './address.js';
import type { SmtpSettings } from './config.js';
import { oneLine, renderHtml, renderText, type CompiledTemplate } from './template.js';

export interface Templates {
  subject: CompiledTemplate;
  body: CompiledTemplate;
  footer: CompiledTemplate;
  unsubscribe?: CompiledTemplate;
}

export interface Recipient {
  email: string;
  lead: Record<string, unknown>;
}

export const DEFAULT_FOOTER = 'Not interested? [Unsubscribe]({{ unsubscribeUrl }}) and you will not hear from {{ sender.name | default: sender.email }} again.';

/** The variables a template sees: the lead's fields, `lead`, `email`, `campaign`, `sender`, `personal`, `unsubscribeUrl`. */
export function variables(r: Recipient, campaign: string, sender: SmtpSettings & { fromAddress: string }, personal: string | undefined): Record<string, unknown> {
  return {
    ...r.lead,
    lead: r.lead,
    email: r.email,
    campaign,
    sender: { email: sender.fromAddress, ...(sender.fromName && { name: sender.fromName }) },
    ...(personal !== undefined && { personal }),
  };
}

export function messageIdFor(campaign: string, email: string, fromAddress: string): string {
  return `<${sha256(`${campaign}\n${email}`).slice(0, 32)}.outreach@${domainOf(fromAddress)}>`;
}

export async function compose(o: {
  recipient: Recipient;
  campaign: string;
  sender: SmtpSettings & { fromAddress: string };
  templates: Templates;
  personal?: string;
  attachments: string[];
}): Promise<Mail.Options> {
  const { recipient: r, sender, campaign } = o;
  const vars = variables(r, campaign, sender, o.personal);
  const unsubscribe = o.templates.unsubscribe ? (await renderText(o.templates.unsubscribe, vars)).trim() : `mailto:${sender.fromAddress}?subject=unsubscribe`;
  const withUnsub = { ...vars, unsubscribeUrl: unsubscribe };
  const subject = oneLine(await renderText(o.templates.subject, withUnsub));
  const footerText = (await renderText(o.templates.footer, withUnsub)).trim();
  const text = `${markdownLinksAsText((await renderText(o.templates.body, withUnsub)).trim())}\n\n-- \n${markdownLinksAsText(footerText)}\n`;
  const bodyHtml = await renderHtml(o.templates.body, withUnsub);
  const footerHtml = await renderHtml(o.templates.footer, withUnsub);
  const html = `<!doctype html>\n<html><body>\n${bodyHtml}<hr>\n<div style="font-size:12px;color:#666">${footerHtml}</div>\n</body></html>\n`;
  const listUnsubscribe = unsubscribe.startsWith('mailto:') ? `<${unsubscribe}>` : `<${unsubscribe}>, <mailto:${sender.fromAddress}?subject=unsubscribe>`;
  const leadName = typeof r.lead.name === 'string' && r.lead.name.trim() ? r.lead.name.trim() : undefined;
  return {
    from: sender.fromName ? { name: sender.fromName, address: sender.fromAddress } : sender.fromAddress,
    to: leadName ? { name: leadName, address: r.email } : r.email,
    ...(sender.replyTo && { replyTo: sender.replyTo }),
    subject,
    text,
    html,
    messageId: messageIdFor(campaign, r.email, sender.fromAddress),
    date: new Date(),
    headers: {
      'List-Unsubscribe': listUnsubscribe,
      ...(/^https:/i.test(unsubscribe) && { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }),
    },
    attachments: o.attachments.map((path) => ({ filename: basename(path), path })),
  };
}

/** `[Unsubscribe](https://x)` → `Unsubscribe: https://x` for the plain-text part. */
export function markdownLinksAsText(md: string): string {
  return md.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1: $2');
}
