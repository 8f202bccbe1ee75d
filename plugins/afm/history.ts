/**
 * Campaign history in the `afm` key-value namespace. Keys:
 *   campaign/<name>                                  CampaignRecord
 *   product/<campaign>/<productId>                   ProductRecord
 *   pitch/<campaign>/<productId>/<platform>/<account> PitchRecord
 * Posts are the twitter.post effects of each pitch's `key` (see `postEffectKeys`).
 */
import { sha256 } from 'mpv2/plugin';
import type { KeyValueStore } from 'mpv2/plugin';
import type { ProductFacts } from './parse.js';

export interface CampaignRecord { name: string; tag: string; platforms: string[]; account: string; createdAt: string; lastRunAt: string; runs: number }
export interface ProductRecord { id: string; url: string; canonical: string; link: string; title: string; price?: string; currency?: string; image?: string; source: ProductFacts['source']; firstSeenAt: string; lastSeenAt: string }
export interface PitchRecord { campaign: string; productId: string; platform: string; account: string; text: string; hashtags: string[]; link: string; image?: string; key: string; pitchedAt: string; runId: string }

export const productId = (facts: Pick<ProductFacts, 'asin'>, canonical: string) => facts.asin ?? sha256(canonical).slice(0, 16);

/** The key a posting step gets for a pitch: one post per campaign, product, platform and account. */
export const pitchKey = (campaign: string, id: string, platform: string) => `afm/${campaign}/${id}/${platform}`;

const seg = (s: string) => encodeURIComponent(s);

export class History {
  /** `readOnly` (a dry run): history is read, never written. */
  constructor(private readonly store: KeyValueStore, private readonly readOnly = false, private readonly now: () => Date = () => new Date()) {}

  private async put(key: string, value: unknown): Promise<void> {
    if (!this.readOnly) await this.store.set(key, value);
  }

  async touchCampaign(c: Omit<CampaignRecord, 'createdAt' | 'lastRunAt' | 'runs'>): Promise<void> {
    const key = `campaign/${seg(c.name)}`;
    const prev = await this.store.get<CampaignRecord>(key);
    const at = this.now().toISOString();
    await this.put(key, { ...c, createdAt: prev?.createdAt ?? at, lastRunAt: at, runs: (prev?.runs ?? 0) + 1 });
  }

  async saveProduct(campaign: string, p: Omit<ProductRecord, 'firstSeenAt' | 'lastSeenAt'>): Promise<void> {
    const key = `product/${seg(campaign)}/${seg(p.id)}`;
    const prev = await this.store.get<ProductRecord>(key);
    const at = this.now().toISOString();
    await this.put(key, { ...p, firstSeenAt: prev?.firstSeenAt ?? at, lastSeenAt: at });
  }

  pitchKeyOf(campaign: string, id: string, platform: string, account: string): string {
    return `pitch/${seg(campaign)}/${seg(id)}/${seg(platform)}/${seg(account)}`;
  }

  getPitch(campaign: string, id: string, platform: string, account: string): Promise<PitchRecord | undefined> {
    return this.store.get<PitchRecord>(this.pitchKeyOf(campaign, id, platform, account));
  }

  async savePitch(p: PitchRecord): Promise<void> {
    await this.put(this.pitchKeyOf(p.campaign, p.productId, p.platform, p.account), p);
  }
}

/** The effect keys under which twitter.post records the post(s) of a pitch (engine prefix included). */
export const postEffectKey = (account: string, key: string, index = 0) => `twitter.post:post/${account}/${key}/${index}`;
