/**
 * One live owner per run. The process that runs a run owns it in the journal; a second
 * `resume` (or a queue job taking the run over) is refused while that owner lives, and takes
 * the run over once it has died.
 *
 * Whether an owner lives: on its own host, by its pid and the process start time (Linux:
 * /proc/<pid>/stat field 22, so a recycled pid is not mistaken for the owner; a zombie counts
 * as dead). From another host (another machine or container sharing the journal) the pid says
 * nothing, so there the lease decides: the owner renews it every third of its length, and an
 * owner whose lease ran out is dead.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { mpv2Error, type Mpv2Error } from '../errors.js';
import type { EffectStore, JournalStore, RunOwner } from '../infra/store/types.js';

/** Length of an owner's lease. */
export const LEASE_MS = 30_000;

/** Time and a repeating timer, injected by tests. */
export interface OwnerClock {
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

export const realOwnerClock: OwnerClock = {
  now: () => Date.now(),
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref(); // the heartbeat never keeps a finished process alive
    return () => clearInterval(t);
  },
};

/** State and start time of a process from /proc/<pid>/stat; undefined where there is no /proc. */
function procStat(pid: number): { state: string; start: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // field 2, the command name, is in parentheses and may itself hold spaces and parentheses
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field 22 (start time) is rest[19]
  return { state: rest[0] ?? '', start: rest[19] ?? '' };
}

function pidAlive(pid: number, start: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true; // no /proc (macOS, Windows): the pid is all there is to go by
  if (stat.state === 'Z' || stat.state === 'X') return false; // exited, not yet reaped by its parent
  return start === undefined || stat.start === start;
}

/** Whether the process an owner record names is still there (see the module comment). */
export function ownerAlive(o: RunOwner, now: number, here = hostname()): boolean {
  if (o.host === here) return pidAlive(o.pid, o.start);
  return now < Date.parse(o.expiresAt);
}

/** This process as a run's owner, with a fresh lease. */
export function selfOwner(clock: OwnerClock = realOwnerClock, leaseMs = LEASE_MS): RunOwner {
  const now = clock.now();
  const start = procStat(process.pid)?.start;
  return {
    host: hostname(), pid: process.pid, ...(start !== undefined && { start }),
    since: new Date(now).toISOString(), expiresAt: new Date(now + leaseMs).toISOString(), leaseMs, token: randomBytes(8).toString('hex'),
  };
}

export function describeOwner(o: RunOwner): string {
  return `process ${o.pid} on ${o.host} (since ${o.since})`;
}

export function runOwnedError(runId: string, holder: RunOwner): Mpv2Error {
  return mpv2Error('E_RUN_OWNED', `run ${runId} is still going: ${describeOwner(holder)} runs it`, {
    hint: `wait for it to finish (\`mpv2 runs show ${runId}\`) or stop that process; once it has stopped, \`mpv2 resume ${runId}\` takes the run over`,
    details: { runId, owner: { pid: holder.pid, host: holder.host, since: holder.since } },
  });
}

export interface LeaseOptions {
  clock?: OwnerClock;
  leaseMs?: number;
}

/** A run this process owns: renews the lease while the run goes, gives the run up at the end. */
export class RunLease {
  private stop?: () => void;
  private lost = false;
  /** Who took the run over, when this process lost it. */
  lostTo?: RunOwner;

  constructor(private readonly journal: JournalStore, readonly runId: string, readonly owner: RunOwner, private readonly clock: OwnerClock = realOwnerClock) {}

  /**
   * Renews the lease every third of its length. `onLost` is called once if another process
   * took the run over (this one stalled past its lease): the caller stops the run.
   */
  startHeartbeat(onLost: (holder: RunOwner | undefined) => void): void {
    this.stop ??= this.clock.every(Math.max(1, Math.floor(this.owner.leaseMs / 3)), () => void this.renew(onLost));
  }

  /** One renewal (the heartbeat's tick). */
  async renew(onLost: (holder: RunOwner | undefined) => void): Promise<void> {
    if (this.lost) return;
    this.owner.expiresAt = new Date(this.clock.now() + this.owner.leaseMs).toISOString();
    let held: boolean;
    try {
      held = await this.journal.renewRun(this.runId, this.owner);
    } catch {
      return; // the store is away for a moment; the next tick tries again
    }
    if (held) return;
    this.lost = true;
    this.stop?.();
    this.lostTo = await this.journal.ownerOf(this.runId).catch(() => undefined);
    onLost(this.lostTo);
  }

  get isLost(): boolean {
    return this.lost;
  }

  async release(): Promise<void> {
    this.stop?.();
    if (!this.lost) await this.journal.releaseRun(this.runId, this.owner.token);
  }
}

/** Takes run `runId` for this process, or throws E_RUN_OWNED naming the live owner. */
export async function claimRun(journal: JournalStore, runId: string, o: LeaseOptions = {}): Promise<RunLease> {
  const clock = o.clock ?? realOwnerClock;
  const owner = selfOwner(clock, o.leaseMs);
  const holder = await journal.claimRun(runId, owner, (cur) => ownerAlive(cur, clock.now()));
  if (holder) throw runOwnedError(runId, holder);
  return new RunLease(journal, runId, owner, clock);
}

/** The live owner of `runId`, if any. */
export async function liveOwnerOf(journal: Pick<JournalStore, 'ownerOf'>, runId: string, clock: OwnerClock = realOwnerClock): Promise<RunOwner | undefined> {
  const o = await journal.ownerOf(runId);
  return o && ownerAlive(o, clock.now()) ? o : undefined;
}

/**
 * The effect store with `liveOwner` answered from the journal, so `ctx.effect` can tell a
 * pending record of a live run (wait for it) from one left by a dead run (in doubt). The
 * store's own methods are reached through the prototype, whatever they are.
 */
export function withLiveOwners(effects: EffectStore, journal: JournalStore, clock: OwnerClock = realOwnerClock): EffectStore {
  const liveOwner = (runId: string) => liveOwnerOf(journal, runId, clock);
  return Object.assign(Object.create(effects) as EffectStore, { liveOwner });
}
