/**
 * The `--json` events of one run as they happen, kept so a late subscriber gets the events so
 * far and then the live ones. Each event has a sequence number (the SSE `id:`), so a client
 * that reconnects with `Last-Event-ID` gets only what it missed. A resumed run continues the
 * numbering. A worker's run (src/serve/run-follower.ts) is logged with the ids its event stream
 * gave the events (increasing, not always consecutive).
 *
 * The two kinds of ids are told apart by size: a stream's ids start at Redis' clock in
 * milliseconds (src/queue/redis/event-stream.ts), far above any place in a list. An id of the
 * other kind than the events' says nothing about what the client has seen (a client that
 * followed a worker's stream reconnects after the stream expired, and the run is rebuilt from
 * the journal): it gets every event again, so it still sees the run to its `run.finished`.
 */
import type { RunEvent } from '../engine/events.js';

/** Events kept per run; past it, `step.log` and `step.progress` are sent live but not kept. */
export const MAX_KEPT_EVENTS = 5000;

export interface NumberedEvent {
  id: number;
  event: RunEvent;
}

/** Ids at or above this are ids of a worker's event stream; below, places in a list. */
export const STREAM_ID_FLOOR = 1e12;
const ofStream = (id: number) => id >= STREAM_ID_FLOOR;

type Listener = (e: NumberedEvent) => void;

export class EventLog {
  private readonly kept: NumberedEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private next: number;
  finished = false;

  constructor(firstId = 0) {
    this.next = firstId;
  }

  get nextId(): number {
    return this.next;
  }

  /** Logs the event with the next id, or with `id` (which must be above every earlier one). */
  push(event: RunEvent, id = this.next): void {
    const n = { id, event };
    this.next = id + 1;
    const chatty = event.event === 'step.log' || event.event === 'step.progress';
    if (this.kept.length < MAX_KEPT_EVENTS || !chatty) this.kept.push(n);
    if (event.event === 'run.finished') this.finished = true;
    for (const l of [...this.listeners]) l(n);
  }

  /**
   * The kept events after `afterId` (all when undefined, or when it is of the other kind of
   * ids than the events'), then every new one until `unsubscribe`. `onSeenEnd` is called when
   * the client has already seen `run.finished` (`afterId` is at or past it): nothing more comes.
   */
  subscribe(afterId: number | undefined, listener: Listener, onSeenEnd?: () => void): () => void {
    const after = (n: NumberedEvent) => {
      if (afterId === undefined || ofStream(afterId) !== ofStream(n.id) || n.id > afterId) listener(n);
      else if (n.event.event === 'run.finished') onSeenEnd?.();
    };
    for (const n of this.kept) after(n);
    // a followed run's history may arrive after the subscriber: it is filtered the same way
    this.listeners.add(after);
    return () => this.listeners.delete(after);
  }

  /** Subscribers listening now. */
  get listening(): number {
    return this.listeners.size;
  }
}
