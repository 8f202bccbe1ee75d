/**
 * Follows a run this server does not run into an EventLog its subscribers share (one Redis
 * connection per followed run, however many watch it):
 *
 * - a worker's run (`queue.url`): its event stream on Redis (src/queue/redis/event-stream.ts),
 *   the history with XRANGE, then XREAD BLOCK, so progress, logs, retries and waits arrive as
 *   they happen, with the ids the stream gave them;
 * - a run journaled with no stream (an older worker, a stream expired after the run, a run of
 *   another `mpv2 run` on this project): the events rebuilt from the journal, read again every
 *   `pollMs` (journal-events.ts), numbered by their place in that list.
 *
 * A worker marks its stream before it journals the run, on the same connection, so a run found
 * in the journal with no stream has no publishing worker: the journal is followed. When the
 * stream goes quiet and the journal says the run ended (its `run.finished` was lost while Redis
 * was away), the journal's end closes the stream. Following ends after `run.finished`.
 */
import type { JournalStore, RunRecord } from '../infra/store/types.js';
import type { EventStreamReader, StreamEntry } from '../queue/redis/event-stream.js';
import { EventLog } from './event-log.js';
import { journalEvents } from './journal-events.js';

export interface FollowSource {
  /** The run and the journal holding it; undefined while it is queued and no worker began it. */
  lookup(): Promise<{ run: RunRecord; journal: JournalStore } | undefined>;
  /** A reader of the workers' event streams on a connection of its own; absent: the journal only. */
  openStreams?: () => EventStreamReader;
  /** Journal poll interval, and how long XREAD waits before the journal is looked at. */
  pollMs: number;
  /**
   * How long the stream must stay quiet after the journal says the run ended before the
   * journal's end stands in for the stream's own run.finished (a busy worker sends it a
   * moment after journaling the end). @default 2000
   */
  journalEndAfterMs?: number;
}

export class RunFollower {
  readonly log = new EventLog();
  readonly done: Promise<void>;
  private stopped = false;
  private reader: EventStreamReader | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly runId: string, private readonly src: FollowSource) {
    this.reader = src.openStreams?.();
    this.done = this.follow().catch(() => undefined).finally(() => this.reader?.close());
  }

  stop(): void {
    this.stopped = true;
    this.reader?.close();
    this.wake?.();
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      try {
        // the journal first, the stream second: a worker's mark precedes its first journal write
        const found = await this.src.lookup();
        const r = this.reader;
        const history = r ? await r.range(this.runId) : [];
        // a stream of marks alone, for a run that has ended, lost all its events (Redis was away): the journal knows more
        const ended = found !== undefined && found.run.status !== 'running';
        if (history.length > 0 && !(ended && history.every((x) => !x.event))) return await this.followStream(r!, history);
        if (found) {
          this.reader?.close();
          this.reader = undefined;
          return await this.followJournal();
        }
        // queued here, not begun by a worker: wait for the stream's first entry, or look again
        const first = r ? await r.read(this.runId, '0-0', this.src.pollMs) : (await this.sleep(), []);
        if (first.length > 0) return await this.followStream(r!, await r!.range(this.runId));
      } catch {
        await this.sleep();
      }
    }
  }

  private async followStream(r: EventStreamReader, history: StreamEntry[]): Promise<void> {
    // a late subscriber gets the run as it goes now: a stream that holds earlier runs of it (a
    // run that waited for approval, then resumed) starts after the last of their run.finished
    const ends = history.map((x, i) => (x.event?.event === 'run.finished' && i < history.length - 1 ? i : -1));
    this.push(history.slice(Math.max(...ends) + 1));
    let after = history.at(-1)!.entryId;
    let quiet = 0;
    while (!this.stopped && !this.log.finished) {
      let got: StreamEntry[];
      try {
        got = await r.read(this.runId, after, this.src.pollMs);
      } catch {
        await this.sleep();
        continue;
      }
      if (got.length > 0) {
        this.push(got);
        after = got.at(-1)!.entryId;
        quiet = 0;
        continue;
      }
      const found = await this.src.lookup().catch(() => undefined);
      if (!found || found.run.status === 'running') { quiet = 0; continue; }
      if (++quiet * this.src.pollMs < (this.src.journalEndAfterMs ?? 2000)) continue;
      const end = journalEvents(found.run, await found.journal.getSteps(this.runId).catch(() => [])).at(-1);
      if (end?.event === 'run.finished') this.log.push(end, this.log.nextId);
    }
  }

  private push(entries: StreamEntry[]): void {
    for (const x of entries) if (x.event && !this.log.finished) this.log.push(x.event, x.n);
  }

  private async followJournal(): Promise<void> {
    let sent = -1;
    while (!this.stopped) {
      try {
        const found = await this.src.lookup();
        if (found) {
          const events = journalEvents(found.run, await found.journal.getSteps(this.runId));
          for (let i = sent + 1; i < events.length; i++) {
            this.log.push(events[i]!, i);
            sent = i;
          }
          if (found.run.status !== 'running') return;
        }
      } catch { /* looked at again after pollMs */ }
      await this.sleep();
    }
  }

  /** Waits `pollMs`, or less when stopped. */
  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) { resolve(); return; }
      const t = setTimeout(resolve, this.src.pollMs);
      this.wake = () => { clearTimeout(t); resolve(); };
    });
  }
}
