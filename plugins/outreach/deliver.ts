/**
 * One recipient, once: the send runs inside `ctx.effect` keyed by campaign + address, so a
 * recipient already mailed (this run, an earlier run, a crashed run) is never mailed again.
 * The outcome is also written to the `campaign:` record for skips and the report.
 */
import { toMpv2Error } from '../../src/errors.js';
import type { StepContext } from '../../src/plugin/types.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { campaignKey, suppress, type RecipientRecord } from './records.js';

export type Delivery =
  | { kind: 'sent'; messageId: string; at: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string; smtpCode?: number; permanent: boolean };

export interface DeliverOptions {
  campaign: string;
  email: string;
  /** Builds and sends the message; runs only when the recipient was not mailed before. */
  send: () => Promise<{ message: Mail.Options; response: string }>;
  suppressBounces: boolean;
}

export async function deliver(ctx: StepContext, o: DeliverOptions): Promise<Delivery> {
  const record = (r: Omit<RecipientRecord, 'email' | 'runId' | 'at'> & { at?: string }) =>
    ctx.store.set(campaignKey(o.campaign, o.email), { email: o.email, runId: ctx.runId, at: new Date().toISOString(), ...r } satisfies RecipientRecord);
  let acted = false;
  try {
    const result = await ctx.effect(`campaign:${o.campaign}:${o.email}`, async () => {
      acted = true;
      const { message, response } = await o.send();
      return { messageId: String(message.messageId), response, at: new Date().toISOString() };
    }, { describe: { campaign: o.campaign, to: o.email } });
    if (!acted) {
      await record({ status: 'sent', messageId: result?.messageId, at: result?.at, reason: 'recorded by an earlier run' });
      return { kind: 'skipped', reason: `already mailed in campaign ${o.campaign}${result?.at ? ` (${result.at.slice(0, 16).replace('T', ' ')} UTC)` : ''}` };
    }
    await record({ status: 'sent', messageId: result.messageId, at: result.at });
    return { kind: 'sent', messageId: result.messageId, at: result.at };
  } catch (e) {
    const err = toMpv2Error(e);
    if (err.code === 'E_EFFECT_IN_DOUBT') {
      const reason = `in doubt: an earlier attempt may have sent it; check the mailbox, then \`mpv2 effects resolve 'outreach.send:campaign:${o.campaign}:${o.email}' --done\` or \`--retry\``;
      await record({ status: 'skipped', reason });
      return { kind: 'skipped', reason };
    }
    if (err.code !== 'E_SMTP' || ctx.signal.aborted) throw err;
    const smtpCode = typeof err.details?.smtpCode === 'number' ? err.details.smtpCode : undefined;
    const permanent = err.details?.permanent === true;
    // a lost connection (no reply code) after the retries: the server is gone, stop the campaign
    if (smtpCode === undefined) throw err;
    await record({ status: 'failed', reason: err.message, smtpCode, permanent });
    if (permanent && o.suppressBounces && /\b5\.1\.\d{1,3}\b/.test(err.message)) {
      await suppress(ctx.store, o.email, `bounced in campaign ${o.campaign}: ${err.message.slice(0, 200)}`);
    }
    return { kind: 'failed', reason: permanent ? err.message : `${err.message} (tried again on the next run)`, smtpCode, permanent };
  }
}
