/**
 * `ctx.accounts`: resolves a name or a rotation spec to one usable account, journaling the
 * choice under (run, step, item, spec) so a retry or `mpv2 resume` gets the same account
 * (even if it has since reached its cap with this very act); hands out credentials with
 * every value registered with the redactor; counts uses for caps and least-recent rotation.
 */
import { hashValue } from '../hash.js';
import { mpv2Error } from '../../errors.js';
import type { Account, AccountSpec, AccountsApi } from '../../plugin/types.js';
import type { Redactor } from '../redact.js';
import type { CredentialStore } from './credentials.js';
import { abortableSleep } from '../sleep.js';
import { heldSlot, reserveSlot } from './slots.js';
import { describeNone, pick, screen, unusableReason, type Candidate, type PoolSpec } from './rotation.js';
import { utcDay, type AccountStore, type AccountView } from './store.js';

export interface AccountsApiOptions {
  store: AccountStore;
  credentials: CredentialStore;
  redactor: Redactor;
  runId: string;
  stepId: string;
  index?: number;
  /** @default () => new Date() */
  now?: () => Date;
  log?: { info(m: string): void };
  /**
   * Refuses (throws) a plugin any use of an account — picking, credentials, counting — whose
   * platform its namespace does not bring; `act` says what was tried.
   */
  checkPlatform?: (platform: string, act: string) => Promise<void>;
  /** The step's signal (Ctrl-C, SIGTERM, its timeout): it ends `waitForSlot`'s wait. */
  signal?: AbortSignal;
  /** Waits `ms` or rejects with E_ABORTED when `signal` aborts (tests advance a fake clock here). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
  /**
   * On a worker: a wait for a slot longer than `afterMs` is not slept here; `park` (which
   * throws) ends the step until then, and the run continues at the slot from a queued job.
   */
  park?: { afterMs: number; park(at: string, reason: string): never };
  /** The step needs approval (src/engine/approval-gate.ts): while it is undecided, a wait for the posting time is not waited. */
  approval?: ApprovalHold;
}

/**
 * Approve before publish meets a posting time: the approval is asked for first, at once, and the
 * wait comes after it. While the step's approval is not given (`pending()`), `waitForSlot`
 * reserves the slot and hands the wait to `defer` instead of waiting: the approval's preview says
 * the time, and once approved the resumed step waits for the same slot (or posts at once when
 * it has passed).
 */
export interface ApprovalHold {
  pending(): boolean;
  defer(at: string, wait: () => Promise<void>): void;
}

/**
 * A wait is slept in pieces of at most this long, re-reading the clock after each: a timer
 * cannot span more than ~24.8 days, and a machine that slept meanwhile is caught up with.
 */
const WAIT_PIECE_MS = 60 * 60_000;
/** A time this far past is told as missed (a job taken a few seconds late is not). */
const LATE_MS = 60_000;
const realSleep = (ms: number, signal: AbortSignal) => abortableSleep(ms, signal, () => {}, ms);

const HINT_ADD = 'add one with `mpv2 accounts add <platform> --name <name>`, or `mpv2 accounts list` to see them';

function normalize(spec: AccountSpec): AccountSpec {
  if (typeof spec === 'string') return spec;
  if (!spec || typeof spec !== 'object' || typeof spec.platform !== 'string') {
    throw mpv2Error('E_ACCOUNT', `an account is a name or { platform, pick?, niche?, language?, names? }, got ${JSON.stringify(spec)}`, { details: { reason: 'invalid-spec' } });
  }
  return { platform: spec.platform, pick: spec.pick ?? 'round-robin', niche: spec.niche, language: spec.language, names: spec.names && [...spec.names].sort() };
}

function publicAccount(a: AccountView): Account {
  const { createdAt: _c, ...rest } = a;
  return rest;
}

export function createAccountsApi(o: AccountsApiOptions): AccountsApi {
  const now = o.now ?? (() => new Date());
  const candidate = async (account: AccountView): Promise<Candidate> => ({
    account, usesToday: await o.store.usesOn(account.name, utcDay(now())), lastUse: await o.store.lastUse(account.name),
  });

  async function choose(spec: AccountSpec, seed: string): Promise<AccountView> {
    if (typeof spec === 'string') {
      const c = await candidate(await o.store.require(spec));
      const why = unusableReason(c);
      if (why) {
        const reason = why === 'disabled' ? 'disabled' : 'capped';
        throw mpv2Error('E_ACCOUNT', `account "${spec}" cannot be used: ${why}`, {
          details: { reason, account: spec },
          hint: reason === 'disabled' ? `\`mpv2 accounts enable ${spec}\`` : `the count resets at 00:00 UTC; raise the cap with \`mpv2 accounts add ${c.account.platform} --name ${spec} --update --max-per-day N\`, or rotate over several accounts`,
        });
      }
      return c.account;
    }
    const pool = spec as PoolSpec;
    const all = await Promise.all((await o.store.list()).filter((a) => a.platform === pool.platform).map(candidate));
    const { usable, excluded } = screen(all, pool);
    if (usable.length === 0) {
      // `none`: the project has no account of the platform at all (plugins may skip then)
      const reason = all.length === 0 ? 'none' : 'excluded';
      throw mpv2Error('E_ACCOUNT', describeNone(pool, excluded), { hint: HINT_ADD, details: { reason, platform: pool.platform, excluded } });
    }
    const mode = pool.pick ?? 'round-robin';
    const chosen = pick(usable, mode, { cursor: await o.store.cursor(pool.platform), seed });
    if (mode === 'round-robin') await o.store.setCursor(pool.platform, chosen.account.name);
    return chosen.account;
  }

  /** Waits (or, on a worker, pauses the run) until `at`; a time already past posts at once, said so when it is well past. */
  async function waitUntil(at: string, whose: string): Promise<void> {
    const signal = o.signal ?? new AbortController().signal;
    const sleep = o.sleep ?? realSleep;
    const due = Date.parse(at);
    if (o.park && due - now().getTime() > o.park.afterMs) {
      o.log?.info(`the run pauses until ${at} (${whose}) and continues then, holding no worker meanwhile`);
      o.park.park(at, whose);
    }
    if (due > now().getTime()) o.log?.info(`waiting until ${at} (${whose})`);
    else if (now().getTime() - due > LATE_MS) o.log?.info(`${at} (${whose}) has passed (the run was approved or continued after it): posting now`);
    // nothing is recorded for the act yet: an abort here leaves no effect, and the slot stays
    // reserved for this key, so the next run waits for the same one
    for (let left = due - now().getTime(); left > 0; left = due - now().getTime()) {
      await sleep(Math.min(left, WAIT_PIECE_MS), signal);
    }
  }

  /** The account's next free slot, reserved for `key` (see `AccountsApi.reserveSlot`). */
  async function reserve(name: string, key: string, options: { leadMs?: number }): Promise<string> {
    const account = await o.store.require(name);
    await o.checkPlatform?.(account.platform, `reserved a posting slot of ${account.platform} account "${name}"`);
    const r = await reserveSlot(o.store, account, key, { now: now(), runId: o.runId, stepId: o.stepId, ...(o.index !== undefined && { index: o.index }), ...(options.leadMs !== undefined && { leadMs: options.leadMs }) });
    o.log?.info(`posting slot: ${r.at} on ${name}`);
    return r.at;
  }

  const api: AccountsApi = {
    async resolve(raw) {
      const spec = normalize(raw);
      // another platform's accounts are not even listed: names and settings stay with their plugins
      if (typeof spec === 'string') {
        const named = await o.store.get(spec);
        if (named) await o.checkPlatform?.(named.platform, `picked ${named.platform} account "${spec}"`);
      } else {
        await o.checkPlatform?.(spec.platform, `picked an account of the ${spec.platform} platform`);
      }
      const item = `${o.runId}/${o.stepId}/${o.index ?? -1}/`;
      const journalKey = `${item}${hashValue(spec).slice(0, 16)}`;
      // a name this item already picked (under any spec) is the same act resuming: no cap check
      const before = (await o.store.journaledPick(journalKey))
        ?? (typeof spec === 'string' && (await o.store.journaledPicks(item)).includes(spec) ? spec : undefined);
      if (before !== undefined) {
        const a = await o.store.get(before);
        if (!a) throw mpv2Error('E_ACCOUNT', `this run picked account "${before}" for step "${o.stepId}", and it has been removed since`, { details: { reason: 'removed', account: before }, hint: 'start a new run instead of resuming this one' });
        if (a.disabled) throw mpv2Error('E_ACCOUNT', `this run picked account "${before}" for step "${o.stepId}", and it has been disabled since`, { details: { reason: 'disabled', account: before }, hint: `\`mpv2 accounts enable ${before}\`, or start a new run` });
        return publicAccount(a);
      }
      const chosen = await choose(spec, journalKey);
      await o.store.journalPick(journalKey, chosen.name);
      if (typeof spec !== 'string') o.log?.info(`account: ${chosen.name} (${spec.pick} over ${spec.platform} accounts)`);
      return publicAccount(chosen);
    },
    async credentials(name) {
      const account = await o.store.require(name);
      await o.checkPlatform?.(account.platform, `read the credentials of ${account.platform} account "${name}"`);
      const values = await o.credentials.get(name);
      o.redactor.addAll(Object.values(values).filter((v): v is string => typeof v === 'string'));
      return values;
    },
    async saveCredentials(name, values) {
      const account = await o.store.require(name);
      await o.checkPlatform?.(account.platform, `saved the credentials of ${account.platform} account "${name}"`);
      o.redactor.addAll(Object.values(values).filter((v): v is string => typeof v === 'string'));
      await o.credentials.set(name, values, { merge: true });
    },
    async recordUse(name) {
      const account = await o.store.require(name);
      await o.checkPlatform?.(account.platform, `counted a use of ${account.platform} account "${name}"`);
      await o.store.recordUse(name, now());
    },
    async reserveSlot(name, key, options = {}) {
      const at = await reserve(name, key, options);
      // a platform that schedules natively: nothing to wait for, but the approval's preview says when it posts
      if (o.approval?.pending()) o.approval.defer(at, async () => undefined);
      return at;
    },
    async waitForSlot(name, key, options = {}) {
      const slot = options.at === undefined || options.at === 'next-slot';
      if (!slot && Number.isNaN(Date.parse(options.at!))) {
        throw mpv2Error('E_PLUGIN_INPUT_INVALID', `with.publishAt: ${JSON.stringify(options.at)} is neither next-slot nor an ISO 8601 time`, { hint: 'e.g. publishAt: next-slot, or 2030-01-31T18:00:00Z', details: { field: 'publishAt' } });
      }
      // the slot this run reserved for the act, even one that has come (the run paused for it,
      // or was stopped, and continues at or after it): the act posts at it now, not at a second
      if (slot) await o.checkPlatform?.((await o.store.require(name)).platform, `reserved a posting slot of account "${name}"`);
      const held = slot ? await heldSlot(o.store, name, key, o.runId) : undefined;
      const at = held ?? (slot ? await reserve(name, key, options) : new Date(options.at!).toISOString());
      const whose = slot ? `${name}'s slot` : 'the step\'s publishAt';
      if (o.approval?.pending()) {
        o.log?.info(`posts at ${at} (${whose}) once approved: the approval is asked for first, the wait for the time comes after it`);
        o.approval.defer(at, () => waitUntil(at, whose));
        return at;
      }
      await waitUntil(at, whose);
      return at;
    },
    async usesToday(name) {
      const account = await o.store.get(name);
      if (account) await o.checkPlatform?.(account.platform, `read the uses of ${account.platform} account "${name}"`);
      return o.store.usesOn(name, utcDay(now()));
    },
  };
  return api;
}
