/**
 * One recipient, once: only the SMTP send runs inside `ctx.effect` (keyed by campaign +
 * address), so a recipient already mailed (this run, an earlier run, a crashed run) is never
 * mailed again. Rendering and pacing run in the effect's `ready`, only for a recipient who is
 * due and before the effect opens: a wait or a render cut short leaves nothing in doubt.
 * The outcome is also written to the `campaign:` record for skips and the report.
 */
import { toMpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { campaignKey, suppress, type RecipientRecord } from './records.js';
import { SMTP_CODES } from './smtp-errors.js';

export type Delivery =
  | { kind: 'sent'; messageId: string; at: string }
  | { kind: 'skipped'; reason: string }
  /** `acted`: this run's send is the one in doubt (else an earlier run's). */
  | { kind: 'in-doubt'; key: string; reason: string; settle: string; acted: boolean }
  | { kind: 'failed'; reason: string; smtpCode?: number; permanent: boolean };

export interface DeliverOptions {
  campaign: string;
  email: string;
  /**
   * Renders the message and waits for the pace: run only when the recipient is due, before
   * the effect opens (a kill during it leaves nothing in doubt).
   */
  prepare: () => Promise<Mail.Options>;
  /** The act: one SMTP send of the prepared message. */
  send: (message: Mail.Options) => Promise<{ response: string }>;
  /**
   * Runs each try of the effect: retries of refusals that prove nothing went out, under the
   * step's named limit. Whatever it waits for, it waits before the effect opens.
   */
  tries: <T>(effect: () => Promise<T>) => Promise<T>;
  suppressBounces: boolean;
}

/** The effect key of a recipient, as `mpv2 effects` shows it. */
export const deliveryKey = (campaign: string, email: string): string => `outreach.send:campaign:${campaign}:${email}`;

/** The command that settles a recipient left in doubt. */
export const settleCommand = (key: string): string => `mpv2 effects resolve '${key}' --done (it went out) or --retry (send it on the next run)`;

export async function deliver(ctx: StepContext, o: DeliverOptions): Promise<Delivery> {
  const record = (r: Omit<RecipientRecord, 'email' | 'runId' | 'at'> & { at?: string }) =>
    ctx.store.set(campaignKey(o.campaign, o.email), { email: o.email, runId: ctx.runId, at: new Date().toISOString(), ...r } satisfies RecipientRecord);
  let acted = false;
  let message: Mail.Options | undefined;
  try {
    const result = await o.tries(() => ctx.effect(`campaign:${o.campaign}:${o.email}`, async () => {
      acted = true;
      const { response } = await o.send(message!);
      return { messageId: String(message!.messageId), response, at: new Date().toISOString() };
    }, {
      // rendered and paced once, before the first try
      ready: async () => { message ??= await o.prepare(); },
      describe: { campaign: o.campaign, to: o.email },
    }));
    if (!acted) {
      await record({ status: 'sent', messageId: result?.messageId, at: result?.at, reason: 'recorded by an earlier run' });
      return { kind: 'skipped', reason: `already mailed in campaign ${o.campaign}${result?.at ? ` (${result.at.slice(0, 16).replace('T', ' ')} UTC)` : ''}` };
    }
    await record({ status: 'sent', messageId: result.messageId, at: result.at });
    return { kind: 'sent', messageId: result.messageId, at: result.at };
  } catch (e) {
    const err = toMpv2Error(e);
    if (err.code === 'E_EFFECT_IN_DOUBT' && !ctx.signal.aborted) {
      const key = deliveryKey(o.campaign, o.email);
      const why = acted ? `the send may have reached the server (${err.message})` : 'an earlier attempt may have sent it';
      const reason = `in doubt: ${why}; check the mailbox, then settle it`;
      await record({ status: 'in-doubt', reason });
      return { kind: 'in-doubt', key, reason, settle: settleCommand(key), acted };
    }
    if (!SMTP_CODES.has(err.pluginCode ?? '') || ctx.signal.aborted) throw err;
    const smtpCode = typeof err.details?.smtpCode === 'number' ? err.details.smtpCode : undefined;
    const permanent = err.details?.permanent === true;
    // no connection (no reply code) after the retries: the server is gone, stop the campaign
    if (smtpCode === undefined) throw err;
    await record({ status: 'failed', reason: err.message, smtpCode, permanent });
    // 5.1.x: the address is bad (no such user or domain), by the reply's enhanced status code
    if (permanent && o.suppressBounces && typeof err.details?.enhancedCode === 'string' && err.details.enhancedCode.startsWith('5.1.')) {
      await suppress(ctx.store, o.email, `bounced in campaign ${o.campaign}: ${err.message.slice(0, 200)}`);
    }
    return { kind: 'failed', reason: permanent ? err.message : `${err.message} (tried again on the next run)`, smtpCode, permanent };
  }
}
