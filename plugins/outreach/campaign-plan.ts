/**
 * Before anything goes out: who is mailed and who is skipped (invalid address, listed twice,
 * suppressed, already mailed in this campaign, rejected before), and a render of every
 * message so a template that does not fit some lead fails the step with nothing sent.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { mpv2Error } from 'mpv2/plugin';
import type { KeyValueStore, StepContext } from 'mpv2/plugin';
import { isValidAddress, normaliseAddress } from './address.js';
import { compose, variables, type Recipient, type Templates } from './compose.js';
import type { OutreachConfig, SmtpSettings } from './config.js';
import type { Personaliser } from './personalise.js';
import { campaignKey, parseSuppressionFile, SuppressionList, type RecipientRecord } from './records.js';
import { renderText } from './template.js';

/** A recipient left out, with why (a type alias, so it fits the output's open `skipped` entries). */
export type Skip = { email: string; reason: string };

export async function loadSuppression(ctx: Pick<StepContext, 'root' | 'store' | 'signal'>, cfg: OutreachConfig): Promise<SuppressionList> {
  let lines: ReturnType<typeof parseSuppressionFile> = [];
  if (cfg.suppressionFile) {
    const file = resolve(ctx.root, cfg.suppressionFile);
    const text = await readFile(file, { encoding: 'utf8', signal: ctx.signal }).catch((e: unknown) => {
      throw mpv2Error('E_FILE', `cannot read the suppression file ${cfg.suppressionFile}: ${(e as Error).message}`, {
        cause: e, hint: 'fix or remove outreach.suppressionFile in the config: nobody is mailed while the list cannot be read',
      });
    });
    lines = parseSuppressionFile(text, cfg.suppressionFile);
  }
  return SuppressionList.load(ctx.store, lines);
}

export async function planRecipients(
  store: KeyValueStore, campaign: string, leads: unknown[], suppression: SuppressionList, retryFailed: boolean,
): Promise<{ queue: Recipient[]; skipped: Skip[] }> {
  const queue: Recipient[] = [];
  const skipped: Skip[] = [];
  const seen = new Set<string>();
  for (const [i, item] of leads.entries()) {
    const lead = typeof item === 'string' ? { email: item } : (item as Record<string, unknown>);
    const raw = lead.email;
    if (typeof raw !== 'string' || raw.trim() === '') { skipped.push({ email: '', reason: `lead ${i} has no email field` }); continue; }
    const email = normaliseAddress(raw);
    if (!isValidAddress(email)) { skipped.push({ email: raw, reason: 'not a valid email address' }); continue; }
    if (seen.has(email)) { skipped.push({ email, reason: 'listed twice in leads; mailed once' }); continue; }
    seen.add(email);
    const suppressed = suppression.why(email);
    if (suppressed) { skipped.push({ email, reason: suppressed }); continue; }
    const prev = await store.get<RecipientRecord>(campaignKey(campaign, email));
    if (prev?.status === 'sent') { skipped.push({ email, reason: `already mailed in campaign ${campaign} (${prev.at.slice(0, 16).replace('T', ' ')} UTC, run ${prev.runId})` }); continue; }
    if (prev?.status === 'failed' && prev.permanent && !retryFailed) {
      skipped.push({ email, reason: `rejected before: ${prev.reason ?? 'permanent failure'} (retryFailed: true tries again)` });
      continue;
    }
    queue.push({ email, lead: { ...lead, email } });
  }
  return { queue, skipped };
}

/** Renders every message (LLM text stubbed) and fails listing the leads a template does not fit. */
export async function precheck(queue: Recipient[], o: { campaign: string; sender: SmtpSettings & { fromAddress: string }; templates: Templates; personaliser?: Personaliser }): Promise<void> {
  const problems: string[] = [];
  for (const r of queue) {
    try {
      if (o.personaliser) await renderText(o.personaliser.prompt, variables(r, o.campaign, o.sender, undefined));
      await compose({ recipient: r, campaign: o.campaign, sender: o.sender, templates: o.templates, personal: o.personaliser ? '(personal text)' : undefined, attachments: [] });
    } catch (e) {
      problems.push(`${r.email}: ${(e as Error).message}`);
    }
  }
  if (problems.length === 0) return;
  const shown = problems.slice(0, 5).map((p) => `  - ${p}`).join('\n');
  throw mpv2Error('E_PLUGIN_INPUT_INVALID', `the templates do not fit ${problems.length} of ${queue.length} lead(s); nothing was sent:\n${shown}${problems.length > 5 ? `\n  … and ${problems.length - 5} more` : ''}`, {
    hint: 'give a fallback with `{{ field | default: "…" }}`, wrap optional parts in `{% if field %}…{% endif %}`, or fix the leads',
  });
}
