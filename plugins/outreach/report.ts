/**
 * `mpv2 outreach report <campaign>`: one campaign's state from the `campaign:` records and the
 * effect history (the authority on what was sent; a `pending` effect is a message in doubt).
 */
import type { KeyValueStore } from 'mpv2/plugin';
import type { EffectRecord } from 'mpv2/plugin';
import { settleCommand } from './deliver.js';
import { campaignRecords } from './records.js';

export interface CampaignReport {
  campaign: string;
  sent: Array<{ email: string; at: string; messageId?: string; runId: string }>;
  failed: Array<{ email: string; at: string; reason: string; smtpCode?: number; permanent: boolean }>;
  skipped: Array<{ email: string; at: string; reason: string }>;
  /** `settle`: the command that settles it. */
  inDoubt: Array<{ email: string; since: string; runId: string; key: string; settle: string }>;
}

const PREFIX = 'outreach.send:campaign:';

export async function campaignReport(store: KeyValueStore, effects: EffectRecord[], campaign: string): Promise<CampaignReport> {
  const r: CampaignReport = { campaign, sent: [], failed: [], skipped: [], inDoubt: [] };
  const mine = new Map(effects.filter((e) => e.key.startsWith(`${PREFIX}${campaign}:`)).map((e) => [e.key.slice(`${PREFIX}${campaign}:`.length), e]));
  const seen = new Set<string>();
  for (const rec of await campaignRecords(store, campaign)) {
    seen.add(rec.email);
    const eff = mine.get(rec.email);
    if (eff?.status === 'pending') { r.inDoubt.push({ email: rec.email, since: eff.updatedAt, runId: eff.runId, key: eff.key, settle: settleCommand(eff.key) }); continue; }
    if (rec.status === 'sent' || eff?.status === 'done') {
      r.sent.push({ email: rec.email, at: rec.status === 'sent' ? rec.at : eff!.updatedAt, messageId: rec.messageId, runId: rec.runId });
    } else if (rec.status === 'failed') {
      r.failed.push({ email: rec.email, at: rec.at, reason: rec.reason ?? 'failed', ...(rec.smtpCode !== undefined && { smtpCode: rec.smtpCode }), permanent: rec.permanent ?? false });
    } else if (rec.status === 'in-doubt') {
      // the effect is no longer pending and not done: `mpv2 effects resolve --retry` forgot it
      r.skipped.push({ email: rec.email, at: rec.at, reason: 'was in doubt, settled with --retry: mailed by the next run' });
    } else {
      r.skipped.push({ email: rec.email, at: rec.at, reason: rec.reason ?? 'skipped' });
    }
  }
  // effects without a record (a crash between the send and the record)
  for (const [email, eff] of mine) {
    if (seen.has(email)) continue;
    if (eff.status === 'pending') r.inDoubt.push({ email, since: eff.updatedAt, runId: eff.runId, key: eff.key, settle: settleCommand(eff.key) });
    else if (eff.status === 'done') r.sent.push({ email, at: eff.updatedAt, runId: eff.runId, messageId: (eff.result as { messageId?: string } | undefined)?.messageId });
    else r.failed.push({ email, at: eff.updatedAt, reason: eff.error?.message ?? 'failed', permanent: false });
  }
  for (const list of [r.sent, r.failed, r.skipped]) list.sort((a, b) => a.at.localeCompare(b.at) || a.email.localeCompare(b.email));
  return r;
}

/** Campaign names that have records, for "did you mean" and listing. */
export async function knownCampaigns(store: KeyValueStore, effects: EffectRecord[]): Promise<string[]> {
  const names = new Set<string>();
  for (const { key } of await store.list('campaign:')) names.add(key.split(':')[1]!);
  for (const e of effects) if (e.key.startsWith(PREFIX)) names.add(e.key.slice(PREFIX.length).split(':')[0]!);
  return [...names].sort();
}
