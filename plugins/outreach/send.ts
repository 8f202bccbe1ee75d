/**
 * outreach.send: one campaign. Plans who is mailed (suppression, campaign history), renders
 * every message first, then sends through one pooled SMTP connection at the given pace, each
 * recipient's send (and nothing else: not the render, the pacing or the limit) inside its own
 * effect. A dry run writes `.eml` files instead and sends nothing.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mpv2Error, toMpv2Error } from 'mpv2/plugin';
import { formatDuration, parseDuration } from 'mpv2/plugin';
import { definePlugin } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { abortableSleep } from 'mpv2/plugin';
import { emailAccountType } from './account-type.js';
import { loadSuppression, planRecipients, precheck } from './campaign-plan.js';
import { compose, type Recipient, type Templates } from './compose.js';
import type { OutreachConfig } from './config.js';
import { deliver, type Delivery } from './deliver.js';
import { makePersonaliser } from './personalise.js';
import { makePacer, parseRate } from './rate.js';
import { resolveSender, type Sender } from './sender.js';
import { sendInputSchema, sendOutputSchema, type SendInput, type SendOutput } from './send-schema.js';
import { loadTemplates } from './send-templates.js';
import { compileTemplate } from './template.js';
import { buildRaw, openTransport, withSmtpRetry, type SmtpTransport } from './transport.js';

export type { SendInput, SendOutput } from './send-schema.js';

export default definePlugin<SendInput, SendOutput>({
  id: 'outreach.send',
  uses: ['llm'],
  version: '1.0.0',
  description: 'Send one email campaign over SMTP: templated, paced, never twice to the same address, with a dry run that writes .eml files',
  input: sendInputSchema,
  output: sendOutputSchema,
  accountTypes: [emailAccountType],
  effect: true,
  async run(ctx, input) {
    const cfg = ctx.config as OutreachConfig;
    const dryRun = ctx.dryRun || input.dryRun;
    const templates = await loadTemplates(ctx, input, input.footer);
    const personaliser = input.personalise ? makePersonaliser(ctx, input.personalise) : undefined;
    const sender = await resolveSender(ctx, input.from, !dryRun);
    if (sender.settings.unsubscribe) templates.unsubscribe = compileTemplate('unsubscribe', sender.settings.unsubscribe);
    const attachments = input.attachments.map((p) => attachment(ctx, p));
    const suppression = await loadSuppression(ctx, cfg);
    const { queue, skipped } = await planRecipients(ctx.store, input.campaign, input.leads, suppression, input.retryFailed);
    await precheck(queue, { campaign: input.campaign, sender: sender.settings, templates, personaliser });
    const budget = await budgetOf(ctx, sender, input.max);
    const out: SendOutput = { campaign: input.campaign, sent: [], skipped, failed: [], inDoubt: [], drafts: [], dryRun };
    const build = async (r: Recipient) => {
      const personal = personaliser ? await personaliser.run({ ...r.lead, lead: r.lead, email: r.email, campaign: input.campaign }) : undefined;
      return compose({ recipient: r, campaign: input.campaign, sender: sender.settings, templates, personal, attachments });
    };
    ctx.log.info(`campaign ${input.campaign}: ${queue.length} to mail, ${skipped.length} skipped${dryRun ? ' (dry run)' : ''}`);
    if (dryRun) {
      const dir = join(ctx.workdir, 'eml');
      mkdirSync(dir, { recursive: true });
      for (const [i, r] of queue.entries()) {
        if (i >= budget.count) { out.skipped.push({ email: r.email, reason: budget.why }); continue; }
        const file = join(dir, `${String(i + 1).padStart(3, '0')}-${r.email.replace(/[^a-z0-9@._-]/g, '_')}.eml`);
        writeFileSync(file, await buildRaw(await build(r)));
        out.drafts.push({ email: r.email, file });
      }
      ctx.log.info(`dry run: ${out.drafts.length} message(s) written to ${dir}; nothing sent`);
      return out;
    }
    const transport = openTransport({ ...sender.settings, host: sender.settings.host! }, ctx.root);
    try {
      await transport.verify();
      await sendAll(ctx, input, queue, budget, out, transport, build, sender);
    } finally {
      transport.close();
    }
    ctx.log.info(`campaign ${input.campaign}: ${out.sent.length} sent, ${out.skipped.length} skipped, ${out.failed.length} failed, ${out.inDoubt.length} in doubt`);
    return out;
  },
});

async function sendAll(
  ctx: StepContext, input: SendInput, queue: Recipient[], budget: { count: number; why: string }, out: SendOutput,
  transport: SmtpTransport, build: (r: Recipient) => ReturnType<typeof compose>, sender: Sender,
): Promise<void> {
  const cfg = ctx.config as OutreachConfig;
  const sleep = async (ms: number): Promise<void> => { await abortableSleep(ms, ctx.signal); };
  const pacer = makePacer(input.rate ? parseRate(input.rate) : undefined, {
    now: Date.now, sleep, onWait: (ms) => ctx.log.info(`pacing (rate ${input.rate}): the next message goes in ${formatDuration(ms)}`),
  });
  const policy = {
    attempts: cfg.retry.attempts, initialMs: parseDuration(cfg.retry.initial, 'outreach.retry.initial'), maxMs: parseDuration(cfg.retry.max, 'outreach.retry.max'), sleep,
    onRetry: (attempt: number, delayMs: number, e: Error) => ctx.log.warn(`try ${attempt} failed (${e.message}); trying again in ${Math.round(delayMs / 1000)}s`),
  };
  // each try waits for its limit token before the effect opens; only refusals that prove
  // nothing went out come back here to be tried again (see deliver.ts)
  const tries = <T>(effect: () => Promise<T>): Promise<T> => withSmtpRetry(() => (input.limit ? ctx.limit(input.limit, effect) : effect()), policy);
  let sent = 0;
  for (const [i, r] of queue.entries()) {
    if (ctx.signal.aborted) throw stopped(input.campaign, sent, out);
    if (sent >= budget.count) { out.skipped.push({ email: r.email, reason: budget.why }); continue; }
    let d: Delivery;
    try {
      // render (and ask the LLM) and wait for the pace before the effect opens, and only for a
      // recipient who is due: a failure or a kill there leaves them not mailed, never in doubt
      const prepare = async () => { const message = await build(r); await pacer.wait(); return message; };
      d = await deliver(ctx, { campaign: input.campaign, email: r.email, prepare, send: (m) => transport.send(m), tries, suppressBounces: input.suppressBounces });
    } catch (e) {
      throw ctx.signal.aborted ? stopped(input.campaign, sent, out) : withInDoubt(e, out);
    }
    if (d.kind === 'sent') {
      sent++;
      out.sent.push({ email: r.email, messageId: d.messageId, at: d.at });
      if (sender.account) await ctx.accounts.recordUse(sender.account.name);
    } else if (d.kind === 'in-doubt') {
      // it may have gone out: it counts against `max` and the daily cap of this run
      if (d.acted) sent++;
      out.inDoubt.push({ email: r.email, key: d.key, reason: d.reason, settle: d.settle });
      ctx.log.warn(`${r.email}: ${d.reason}: ${d.settle}`);
    } else if (d.kind === 'skipped') out.skipped.push({ email: r.email, reason: d.reason });
    else out.failed.push({ email: r.email, reason: d.reason, permanent: d.permanent, ...(d.smtpCode !== undefined && { smtpCode: d.smtpCode }) });
    ctx.progress({ fraction: (i + 1) / queue.length, message: `${out.sent.length} sent, ${out.failed.length} failed${out.inDoubt.length ? `, ${out.inDoubt.length} in doubt` : ''}` });
  }
}

function stopped(campaign: string, sent: number, out: SendOutput) {
  return withInDoubt(mpv2Error('E_ABORTED', `campaign ${campaign} stopped after ${sent} message(s); re-run to mail the rest`), out);
}

/** A campaign that stops still names every recipient it left in doubt, with the command that settles each. */
function withInDoubt(e: unknown, out: SendOutput) {
  const err = toMpv2Error(e);
  if (out.inDoubt.length === 0) return err;
  const list = out.inDoubt.map((d) => `  - ${d.email}: ${d.settle}`).join('\n');
  err.message = `${err.message}\n${out.inDoubt.length} recipient(s) left in doubt:\n${list}`;
  return err;
}

/** How many may go out this run: the account's daily cap and `max`. */
async function budgetOf(ctx: StepContext, sender: Sender, max: number | undefined): Promise<{ count: number; why: string }> {
  let count = max ?? Infinity;
  let why = `max ${max} message(s) per run reached; the rest go out on the next run`;
  const cap = sender.account?.maxPerDay;
  if (cap !== undefined) {
    const left = Math.max(0, cap - (await ctx.accounts.usesToday(sender.account!.name)));
    if (left < count) { count = left; why = `daily cap of account "${sender.account!.name}" reached (${cap}/day); the rest go out on a later day`; }
  }
  return { count, why };
}

function attachment(ctx: StepContext, p: string): string {
  const abs = ctx.resolvePath(p);
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file');
  } catch (e) {
    throw mpv2Error('E_FILE', `attachment "${p}" cannot be read: ${(e as Error).message}`, { cause: e, hint: 'attachments are paths relative to the pipeline file' });
  }
  return abs;
}
