/**
 * What the posting-slot tests share: a platform whose step posts a line of `posts.log` at the
 * account's slot, waiting in its effect's `ready` as the platform plugins do, and a clock the
 * test moves.
 */
import type { Clock } from '../../../src/engine/limits.js';
import type { AccountType } from '../../../src/plugin/types.js';

export const SLOT_TYPE: AccountType = { platform: 'slothub', description: 'posting-slot test accounts', schema: { type: 'object', properties: {} } };

/**
 * `slothub.post`: posts `text` at the slot (`publishAt`, default the next one); `hang` makes the
 * act wait for the step's abort (a worker killed mid-act); an act in doubt is reconciled from
 * `posts.log`; its dry run describes the post (the approval preview).
 */
export const SLOT_PLUGIN = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
export default [{
  id: 'slothub.post', version: '1.0.0', description: 'posts a line at a posting slot',
  input: { type: 'object', required: ['account', 'text'], properties: { account: { type: 'string' }, text: { type: 'string' }, publishAt: { type: 'string' }, hang: { type: 'boolean' } } },
  accountTypes: [${JSON.stringify(SLOT_TYPE)}],
  effect: true,
  async run(ctx, input) {
    const log = join(ctx.root, 'posts.log');
    const posted = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\\n').filter(Boolean).map((l) => JSON.parse(l)) : []).find((p) => p.text === input.text);
    let slot;
    return ctx.effect(['post', input.account, input.text], async () => {
      appendFileSync(log, JSON.stringify({ text: input.text, slot }) + '\\n');
      if (input.hang) await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('killed mid-act'))));
      return { slot };
    }, {
      ready: async () => { slot = await ctx.accounts.waitForSlot(input.account, 'post-' + input.text, { at: input.publishAt ?? 'next-slot' }); },
      reconcile: async () => { const p = posted(); return p && { slot: p.slot }; },
      describe: { post: { text: input.text, publishAt: input.publishAt ?? 'next-slot' } },
    });
  },
}];
`;

/** A clock the test moves; a sleep moves it on by what was asked (a wait takes no time). */
export function fakeClock(start: string): Clock & { set(iso: string): void } {
  let t = Date.parse(start);
  return { now: () => t, sleep: async (ms) => { t += ms; }, set: (iso) => { t = Date.parse(iso); } };
}
