/** `mpv2 afm report`: campaigns, products, pitches and their posts, from the afm store and the effects. */
import type { CampaignRecord, PitchRecord, ProductRecord } from './history.js';
import { postEffectKey } from './history.js';

export interface EffectLike { key: string; status: string; result?: unknown; updatedAt: string }

export interface ReportRow {
  campaign: string;
  product: string;
  title: string;
  platform: string;
  account: string;
  link: string;
  pitchedAt: string;
  /** `posted`, `failed`, `pending` (in doubt) or `not posted`. */
  status: string;
  postedAt?: string;
  postUrl?: string;
}

export interface AfmReport { campaigns: CampaignRecord[]; rows: ReportRow[] }

export function buildReport(entries: Array<{ key: string; value: unknown }>, effect: (key: string) => EffectLike | undefined, only?: string): AfmReport {
  const campaigns = entries.filter((e) => e.key.startsWith('campaign/')).map((e) => e.value as CampaignRecord).filter((c) => !only || c.name === only);
  const products = new Map(entries.filter((e) => e.key.startsWith('product/')).map((e) => [e.key.split('/').slice(1).join('/'), e.value as ProductRecord]));
  const rows: ReportRow[] = [];
  for (const e of entries) {
    if (!e.key.startsWith('pitch/')) continue;
    const p = e.value as PitchRecord;
    if (only && p.campaign !== only) continue;
    const prod = products.get(`${encodeURIComponent(p.campaign)}/${encodeURIComponent(p.productId)}`);
    const fx = effect(postEffectKey(p.account, p.key));
    const result = fx?.result as { url?: string } | undefined;
    rows.push({
      campaign: p.campaign, product: p.productId, title: prod?.title ?? '', platform: p.platform, account: p.account, link: p.link, pitchedAt: p.pitchedAt,
      status: !fx ? 'not posted' : fx.status === 'done' ? 'posted' : fx.status,
      ...(fx?.status === 'done' && { postedAt: fx.updatedAt, ...(result?.url && { postUrl: result.url }) }),
    });
  }
  rows.sort((a, b) => a.campaign.localeCompare(b.campaign) || b.pitchedAt.localeCompare(a.pitchedAt));
  return { campaigns, rows };
}
