/** What `mpv2 schedule posts` shows: per account with posting slots, the posts reserved ahead and the next free slots. */
import { upcomingSlots, type SlotReservation } from './slots.js';
import type { AccountStore } from './store.js';

export interface AccountPosts {
  account: string;
  platform: string;
  timezone: string;
  slots: string[];
  /** Reservations from now on, in time order. */
  reserved: SlotReservation[];
  /** The next slots nobody holds. */
  free: string[];
}

export async function upcomingPosts(store: AccountStore, o: { now: Date; account?: string; free?: number }): Promise<AccountPosts[]> {
  const out: AccountPosts[] = [];
  for (const a of await store.list()) {
    if (o.account !== undefined && a.name !== o.account) continue;
    if (!a.slots?.length) continue;
    const reserved = (await store.slots(a.name)).filter((r) => Date.parse(r.at) >= o.now.getTime());
    const taken = new Set(reserved.map((r) => r.at));
    const want = o.free ?? 3;
    const free = upcomingSlots(a.slots, a.timezone, o.now, want + taken.size).map((d) => d.toISOString()).filter((t) => !taken.has(t)).slice(0, want);
    out.push({ account: a.name, platform: a.platform, timezone: a.timezone ?? 'UTC', slots: a.slots, reserved, free });
  }
  return out;
}
