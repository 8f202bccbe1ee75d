/**
 * Posting slots: an account's `slots` (`["09:00", "13:00", "18:00"]`) in its `timezone` are the
 * times it posts at. `reserveSlot` takes the next free one for an act (keyed by the act's effect
 * key, so a retry or resume gets the same slot back) with an atomic `add` in the store: two runs
 * or two workers never take the same slot. Times come from croner, so a slot on a
 * daylight-saving change day happens once, at the local time that exists.
 */
import { Cron } from 'croner';
import { mpv2Error } from '../../errors.js';
import { checkCron } from '../cron.js';
import type { AccountStore, AccountView } from './store.js';

/** A slot must start at least this far ahead: platforms refuse a schedule time in the past. */
export const SLOT_LEAD_MS = 5 * 60_000;
/** How far ahead slots are looked for before giving up. */
const HORIZON_DAYS = 366;

/**
 * The `publishAt` input of a step that posts at a time on a platform with no scheduling of its
 * own (`ctx.accounts.waitForSlot`): `next-slot`, or an ISO 8601 instant with its offset.
 */
export const postAtSchema = {
  type: 'string',
  pattern: '^(next-slot|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))$',
  description: 'Post at this time: `next-slot` (the account\'s next free posting slot, `mpv2 accounts add … --slots`, reserved so no other run takes it) or an ISO 8601 time (`2030-01-31T18:00:00Z`). The platform cannot schedule, so the step waits for the time: in `mpv2 run` in this process; on a worker, a wait longer than `queue.holdWaitUpTo` pauses the run (status `waiting-slot`, holding no worker) and a queued job continues it then. A time past, or a slot missed while no worker ran, posts at once.',
} as const;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface SlotReservation {
  /** The slot, as an ISO instant. */
  at: string;
  account: string;
  /** What holds it: the act's effect key. */
  key: string;
  runId?: string;
  stepId?: string;
  /** The `foreach` item that holds it (absent for a step as a whole, and in older records). */
  index?: number;
  reservedAt: string;
}

/** Throws E_USAGE naming what is wrong with a slot list or time zone. */
export function checkSlots(slots: string[], timezone?: string): void {
  const bad = slots.filter((s) => !HHMM.test(s));
  if (bad.length) throw mpv2Error('E_USAGE', `posting slots are local times "HH:MM" (00:00–23:59), not ${bad.map((b) => JSON.stringify(b)).join(', ')}`, { hint: 'e.g. --slots 09:00,13:00,18:00 --timezone Europe/Berlin' });
  if (new Set(slots).size !== slots.length) throw mpv2Error('E_USAGE', `posting slots are listed twice: ${slots.join(', ')}`);
  if (timezone) checkCron({ cron: '0 0 * * *', tz: timezone });
}

/** The slot instants after `after`, in time order, at most `n`. */
export function upcomingSlots(slots: string[], timezone: string | undefined, after: Date, n: number): Date[] {
  const times = slots.flatMap((s) => {
    const [, h, m] = HHMM.exec(s)!;
    const c = new Cron(`${Number(m)} ${Number(h)} * * *`, { timezone: timezone ?? 'UTC', paused: true });
    return c.nextRuns(n, after);
  });
  return times.sort((a, b) => a.getTime() - b.getTime()).slice(0, n);
}

const slotKey = (account: string, at: string) => `slot/${account}/${at}`;

/**
 * The slot `key` holds on `account` for run `runId`, however near or past it is (the latest,
 * if several): the same run continuing after it paused or stopped. A slot another run of the
 * same act reserved and let pass is not reused (`reserveSlot` then takes a coming one).
 */
export async function heldSlot(store: AccountStore, account: string, key: string, runId: string): Promise<string | undefined> {
  return (await store.slots(account)).filter((r) => r.key === key && r.runId === runId).at(-1)?.at;
}

/**
 * The slot `key` holds on `account` (a later one than `now` + the lead), or the next free one,
 * taken atomically. E_ACCOUNT when the account has no slots, or none is free within a year.
 */
export async function reserveSlot(store: AccountStore, account: AccountView, key: string, o: { now: Date; runId?: string; stepId?: string; index?: number; leadMs?: number }): Promise<SlotReservation> {
  const slots = account.slots ?? [];
  if (slots.length === 0) {
    throw mpv2Error('E_ACCOUNT', `account "${account.name}" has no posting slots, so \`publishAt: next-slot\` has nothing to take`, {
      hint: `give it some: \`mpv2 accounts add ${account.platform} --name ${account.name} --update --slots 09:00,13:00,18:00 --timezone <IANA zone>\``,
      details: { reason: 'no-slots', account: account.name },
    });
  }
  const earliest = new Date(o.now.getTime() + Math.max(SLOT_LEAD_MS, o.leadMs ?? 0));
  const held = (await store.slots(account.name)).find((r) => r.key === key && Date.parse(r.at) >= earliest.getTime());
  if (held) return held;
  let after = earliest;
  const until = o.now.getTime() + HORIZON_DAYS * 86_400_000;
  while (after.getTime() < until) {
    const batch = upcomingSlots(slots, account.timezone, new Date(after.getTime() - 1), 64);
    for (const at of batch) {
      const r: SlotReservation = { at: at.toISOString(), account: account.name, key, ...(o.runId && { runId: o.runId }), ...(o.stepId && { stepId: o.stepId }), ...(o.index !== undefined && { index: o.index }), reservedAt: o.now.toISOString() };
      if (await store.takeSlot(slotKey(account.name, r.at), r)) return r;
    }
    if (batch.length === 0) break;
    after = new Date(batch[batch.length - 1]!.getTime() + 1);
  }
  throw mpv2Error('E_ACCOUNT', `account "${account.name}" has no free posting slot in the next ${HORIZON_DAYS} days`, { details: { reason: 'no-free-slot', account: account.name }, hint: 'add slots, or post to another account' });
}

/**
 * Gives back the slots a step (or one `foreach` item) of a run holds, on every account: its post
 * will not happen (its approval was rejected), so `mpv2 schedule posts` no longer shows the slot
 * taken and `next-slot` can hand it to another post. Returns the slots given back.
 */
export async function releaseSlots(store: AccountStore, ref: { runId: string; stepId: string; index?: number }): Promise<SlotReservation[]> {
  const held = (await store.slots()).filter((r) => r.runId === ref.runId && r.stepId === ref.stepId && (r.index ?? -1) === (ref.index ?? -1));
  for (const r of held) await store.dropSlot(slotKey(r.account, r.at));
  return held;
}
