/**
 * A record key (TID) chosen before the post is created: 13 characters of base32-sortable
 * encoding of microseconds since the epoch and a random clock id. Knowing the key before the
 * act lets a crashed run ask the PDS for exactly that record afterwards.
 */
import { randomInt } from 'node:crypto';

const S32 = '234567abcdefghijklmnopqrstuvwxyz';

export function newTid(nowMs: number = Date.now()): string {
  const micros = BigInt(nowMs) * 1000n + BigInt(randomInt(1000));
  const v = (micros << 10n) | BigInt(randomInt(1024));
  let s = '';
  for (let i = 0, x = v; i < 13; i++, x >>= 5n) s = S32[Number(x & 31n)] + s;
  return s;
}
