import { describe, expect, it } from 'vitest';
import { History, postEffectKey } from '../../../plugins/afm/history.js';
import { buildReport, type EffectLike } from '../../../plugins/afm/report.js';
import { makeTestContext } from '../../helpers/context.js';

describe('afm history and report', () => {
  it('joins pitches with the post effects of their keys: posted, failed, pending, not posted', async () => {
    const ctx = makeTestContext();
    const h = new History(ctx.store, false, () => new Date('2026-11-01T10:00:00Z'));
    await h.touchCampaign({ name: 'spring', tag: 't-20', platforms: ['twitter'], account: 'brand' });
    await h.touchCampaign({ name: 'spring', tag: 't-20', platforms: ['twitter'], account: 'brand' });
    const pitch = (id: string) => ({ campaign: 'spring', productId: id, platform: 'twitter', account: 'brand', text: `about ${id}`, hashtags: [], link: `https://s.example.com/${id}?tag=t-20`, key: `afm/spring/${id}/twitter`, pitchedAt: '2026-11-01T10:00:00.000Z', runId: 'r1' });
    for (const id of ['A', 'B', 'C', 'D']) {
      await h.saveProduct('spring', { id, url: `https://s.example.com/${id}`, canonical: `https://s.example.com/${id}`, link: `https://s.example.com/${id}?tag=t-20`, title: `Product ${id}`, source: 'jsonld' });
      await h.savePitch(pitch(id));
    }
    const fx = new Map<string, EffectLike>([
      [postEffectKey('brand', 'afm/spring/A/twitter'), { key: '', status: 'done', result: { id: '1', url: 'https://x.com/brand/status/1' }, updatedAt: '2026-11-01T10:05:00.000Z' }],
      [postEffectKey('brand', 'afm/spring/B/twitter'), { key: '', status: 'failed', updatedAt: '2026-11-01T10:05:00.000Z' }],
      [postEffectKey('brand', 'afm/spring/C/twitter'), { key: '', status: 'pending', updatedAt: '2026-11-01T10:05:00.000Z' }],
    ]);
    const r = buildReport(await ctx.store.list(''), (k) => fx.get(k));
    expect(r.campaigns).toEqual([expect.objectContaining({ name: 'spring', runs: 2, createdAt: '2026-11-01T10:00:00.000Z' })]);
    expect(r.rows.map((x) => [x.product, x.title, x.status, x.postUrl ?? null])).toEqual([
      ['A', 'Product A', 'posted', 'https://x.com/brand/status/1'],
      ['B', 'Product B', 'failed', null],
      ['C', 'Product C', 'pending', null],
      ['D', 'Product D', 'not posted', null],
    ]);
    expect(buildReport(await ctx.store.list(''), () => undefined, 'autumn')).toEqual({ campaigns: [], rows: [] });
  });

  it('a read-only history (dry run) writes nothing', async () => {
    const ctx = makeTestContext();
    await new History(ctx.store, true).touchCampaign({ name: 'x', tag: 't', platforms: ['twitter'], account: 'default' });
    expect(await ctx.store.list('')).toEqual([]);
  });
});
