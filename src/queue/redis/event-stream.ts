/**
 * A worker's run events on Redis, so `mpv2 serve` streams them live (progress, logs, retries,
 * waits) instead of rebuilding a run from the journal: one Redis Stream per run,
 * `<prefix>:events:<runId>`, one entry per `--json` event (field `e`, the event's JSON as the
 * engine emitted it, secrets already redacted, paths inside the project root-relative as in
 * the journal). An entry `b` marks where a worker began (or took over) the run.
 *
 * Entry ids are a counter: `<n>-0`, the SSE id of the event being `n`. A Lua script gives
 * each batch its ids after the stream's last one, so ids only grow while the stream exists
 * (whichever worker writes, and however far it was trimmed); a stream made anew (the old one
 * expired before a late resume) starts at Redis' clock in milliseconds, above the ids of any
 * earlier stream of the run (and far above the small ids `mpv2 serve` gives events it rebuilds
 * from the journal: src/serve/event-log.ts tells the two kinds apart by that). Streams are capped (`MAXLEN ~`) and expire: a week after their
 * last entry while the run goes, `ttlSeconds` after `run.finished`.
 *
 * Publishing is best effort and off the run's path: events are batched per turn of the event
 * loop and sent without being waited for; while Redis is unreachable they are dropped (the
 * journal, not this stream, is the record of a run; the server falls back on it). What was
 * published and what was dropped, and why, is counted (the worker's /metrics exports it).
 */
import type { RunEvent } from '../../engine/events.js';
import { rootPathCodec, type PathCodec } from '../../infra/store/root-relative.js';
import { openRedis, type Redis } from './connection.js';

/** Entries kept per run (approximately: Redis trims whole nodes). */
export const EVENT_STREAM_MAXLEN = 10_000;
/** A finished run's stream is kept this long for late subscribers, then the journal answers. */
export const EVENT_STREAM_TTL_SECONDS = 24 * 3600;
/** A running run's stream expires this long after its last entry (a worker that died mid-run). */
export const EVENT_STREAM_LIVE_TTL_SECONDS = 7 * 24 * 3600;
/** Events waiting to be sent; past it (Redis too slow) new ones are dropped. */
const MAX_PENDING = 10_000;
/** Batches sent and not answered yet; past it, events wait in `pending`. */
const MAX_IN_FLIGHT = 4;
/** Entries read per XRANGE / XREAD call. */
const READ_COUNT = 1000;
/** Connection states in which Redis is away (lost, or closed). */
const AWAY = new Set(['reconnecting', 'close', 'end']);

export const eventStreamKey = (prefix: string, runId: string): string => `${prefix}:events:${runId}`;

/**
 * KEYS: the stream. ARGV: MAXLEN, TTL seconds, then field/value pairs, one per entry.
 * Each entry gets the id after the stream's last (or Redis' time in ms for a new stream).
 */
const APPEND = `
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local n
if #top > 0 then
  n = tonumber(string.match(top[1][1], '^(%d+)'))
else
  local t = redis.call('TIME')
  n = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - 1
end
for i = 3, #ARGV, 2 do
  n = n + 1
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], string.format('%.0f', n) .. '-0', ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n`;

type Appender = Redis & { mpv2AppendEvents(key: string, maxLen: number, ttl: number, ...fieldValues: string[]): Promise<number> };

function withAppend(r: Redis): Appender {
  const a = r as Appender;
  if (typeof a.mpv2AppendEvents !== 'function') r.defineCommand('mpv2AppendEvents', { numberOfKeys: 1, lua: APPEND });
  return a;
}

/**
 * Why events were not published: Redis was away (an outage), too slow (the backlog was full),
 * refused or failed the write, or an event could not be serialized.
 */
export const DROP_REASONS = ['redis-away', 'backlog', 'write-failed', 'unserializable'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Where the publisher's counts go (the worker's metrics). */
export interface EventCounts {
  eventsPublished(n: number): void;
  eventsDropped(n: number, reason: DropReason): void;
}

export interface PublisherOptions {
  /** The worker's shared-store connection: entries are ordered with its journal writes. */
  redis: Redis;
  prefix: string;
  /** The worker's project root: paths under it are written root-relative. */
  root: string;
  maxLen?: number;
  ttlSeconds?: number;
  liveTtlSeconds?: number;
  counts?: EventCounts;
}

interface Pending {
  key: string;
  field: 'e' | 'b';
  value: string;
  finished: boolean;
}

export class RunEventPublisher {
  private readonly r: Appender;
  private readonly codec: PathCodec;
  private pending: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  private idle: Array<() => void> = [];
  /** Events not published: Redis was unreachable or too slow. */
  dropped = 0;
  published = 0;

  constructor(private readonly o: PublisherOptions) {
    this.r = withAppend(o.redis);
    this.codec = rootPathCodec(o.root);
  }

  /**
   * Marks that a worker begins the run, before the run touches the journal: a reader that
   * finds the run journaled and no stream knows no publishing worker runs it (an older
   * worker, or Redis was away), and follows the journal instead. Sent at once, so Redis has
   * the mark before any journal write the run makes on the same connection.
   */
  begin(runId: string): void {
    this.pending.push({ key: eventStreamKey(this.o.prefix, runId), field: 'b', value: '1', finished: false });
    this.flush(true);
  }

  /** Queues one event (already redacted by the engine, as `--json` prints it). Never throws, never waits. */
  publish(e: RunEvent): void {
    if (this.pending.length >= MAX_PENDING) { this.drop(1, 'backlog'); return; }
    let value: string;
    try {
      value = JSON.stringify(this.codec.encode(e));
    } catch {
      this.drop(1, 'unserializable');
      return;
    }
    this.pending.push({ key: eventStreamKey(this.o.prefix, e.runId), field: 'e', value, finished: e.event === 'run.finished' });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => { this.scheduled = false; this.flush(); });
    }
  }

  /** Resolves when every queued event was sent (or dropped). */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight > 0 || this.pending.length > 0) {
      await new Promise<void>((resolve) => this.idle.push(resolve));
      this.flush();
    }
  }

  /** Sends what is queued; `now`: even past MAX_IN_FLIGHT (a begin mark must precede the run's journal writes). */
  private flush(now = false): void {
    if (this.pending.length === 0 || (this.inFlight >= MAX_IN_FLIGHT && !now)) return;
    const batch = this.pending;
    this.pending = [];
    // while Redis is away a command would wait in the client's queue: drop instead (the journal
    // waits, not this); a connection still being opened is not an outage
    if (AWAY.has(this.o.redis.status)) {
      this.drop(batch.filter((p) => p.field === 'e').length, 'redis-away');
      this.wake();
      return;
    }
    const byKey = new Map<string, Pending[]>();
    for (const p of batch) {
      const list = byKey.get(p.key);
      if (list) list.push(p);
      else byKey.set(p.key, [p]);
    }
    const pipe = this.r.pipeline() as unknown as Appender & { exec(): Promise<Array<[Error | null, unknown]> | null> };
    for (const [key, entries] of byKey) {
      const ttl = entries.some((p) => p.finished) ? this.o.ttlSeconds ?? EVENT_STREAM_TTL_SECONDS : this.o.liveTtlSeconds ?? EVENT_STREAM_LIVE_TTL_SECONDS;
      void pipe.mpv2AppendEvents(key, this.o.maxLen ?? EVENT_STREAM_MAXLEN, ttl, ...entries.flatMap((p) => [p.field, p.value]));
    }
    const events = batch.filter((p) => p.field === 'e').length;
    this.inFlight++;
    pipe.exec().then((res) => {
      const failed = (res ?? []).some(([err]) => err);
      if (failed || !res) this.drop(events, 'write-failed');
      else {
        this.published += events;
        if (events > 0) this.o.counts?.eventsPublished(events);
      }
    }, () => this.drop(events, AWAY.has(this.o.redis.status) ? 'redis-away' : 'write-failed')).finally(() => {
      this.inFlight--;
      this.flush();
      this.wake();
    });
  }

  private drop(n: number, reason: DropReason): void {
    if (n === 0) return;
    this.dropped += n;
    this.o.counts?.eventsDropped(n, reason);
  }

  private wake(): void {
    for (const w of this.idle.splice(0)) w();
  }
}

export interface StreamEntry {
  /** The stream entry id (`<n>-0`). */
  entryId: string;
  /** The event's SSE id. */
  n: number;
  /** Undefined for a worker's begin mark. */
  event?: RunEvent;
}

/**
 * Reads run event streams on a connection of its own (XREAD BLOCK holds it). Paths are read
 * back under this project's root, as the journal's are.
 */
export class EventStreamReader {
  private readonly codec: PathCodec;

  constructor(private readonly r: Redis, private readonly prefix: string, root: string) {
    this.codec = rootPathCodec(root);
  }

  static open(url: string, prefix: string, root: string): EventStreamReader {
    return new EventStreamReader(openRedis(url), prefix, root);
  }

  /** Every entry after `after` (an entry id; `0-0` for all). */
  async range(runId: string, after = '0-0'): Promise<StreamEntry[]> {
    const out: StreamEntry[] = [];
    for (let from = after; ;) {
      const rows = await this.r.xrange(eventStreamKey(this.prefix, runId), `(${from}`, '+', 'COUNT', READ_COUNT);
      out.push(...rows.map(([id, fields]) => this.entry(id, fields)));
      if (rows.length < READ_COUNT) return out;
      from = rows.at(-1)![0];
    }
  }

  /** The entries after `after`, waiting up to `blockMs` for the first; [] when none came. */
  async read(runId: string, after: string, blockMs: number): Promise<StreamEntry[]> {
    const res = await this.r.xread('COUNT', READ_COUNT, 'BLOCK', blockMs, 'STREAMS', eventStreamKey(this.prefix, runId), after);
    return (res?.[0]?.[1] ?? []).map(([id, fields]) => this.entry(id, fields));
  }

  async exists(runId: string): Promise<boolean> {
    return (await this.r.exists(eventStreamKey(this.prefix, runId))) === 1;
  }

  /** Drops the connection (a blocked XREAD rejects). */
  close(): void {
    this.r.disconnect();
  }

  private entry(entryId: string, fields: string[]): StreamEntry {
    const n = Number(entryId.split('-')[0]);
    const i = fields.indexOf('e');
    return { entryId, n, ...(i >= 0 && i % 2 === 0 && { event: this.codec.decode(JSON.parse(fields[i + 1]!) as RunEvent) }) };
  }
}
