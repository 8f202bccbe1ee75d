/**
 * The state of a long-running process's Redis connection, told once a change: ioredis
 * reconnects by itself and reports every failed attempt as an `error`, which a worker that
 * printed them turned into one stack trace per attempt. The watch follows one client, says
 * "Redis unreachable" when it is lost and "Redis reachable again" when it is back, and counts
 * the attempts in between (for /metrics and the recovery line) instead of printing them.
 */
import { EventEmitter } from 'node:events';
import { formatDuration } from '../../infra/duration.js';
import { RECONNECT_MAX_MS, redisHost, type Redis } from './connection.js';

export type WatchLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** Errors that mean "Redis is not there right now" (the client retries them), as opposed to a wrong command or a bug. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  if (!err) return false;
  if (err.code && CONNECTION_CODES.has(err.code)) return true;
  const m = err.message ?? '';
  return m === 'Connection is closed.' || /Stream isn't writeable|connect ETIMEDOUT|ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN/.test(m);
}

export class RedisWatch {
  private lostAt: number | undefined;
  private attemptsAtLoss = 0;
  private closing = false;
  private readonly changes = new EventEmitter();
  /** Reconnect attempts since the process started. */
  attempts = 0;

  constructor(private readonly o: { url: string; log: WatchLog; now?: () => number; onAttempt?(): void; onChange?(up: boolean): void }) {}

  /** Follows `r`: its close or connection error is an outage, its next `ready` the recovery. */
  watch(r: Redis): this {
    r.on('close', () => this.lost('the connection closed'));
    r.on('error', (e: Error) => { if (isConnectionError(e)) this.lost(e.message); });
    r.on('reconnecting', () => { this.attempts++; this.o.onAttempt?.(); });
    r.on('ready', () => this.back());
    return this;
  }

  get down(): boolean {
    return this.lostAt !== undefined;
  }

  /** The process is closing its connections on purpose: that is no outage to tell. */
  close(): void {
    this.closing = true;
  }

  /** Resolves when Redis is unreachable (at once if it is now). */
  whenDown(): Promise<void> {
    if (this.down) return Promise.resolve();
    return new Promise((resolve) => this.changes.once('down', resolve));
  }

  /** An outage seen elsewhere (e.g. a BullMQ connection's error); told once, like the watched client's. */
  lost(reason: string): void {
    if (this.closing || this.lostAt !== undefined) return;
    this.lostAt = (this.o.now ?? Date.now)();
    this.attemptsAtLoss = this.attempts;
    this.o.log('warn', `Redis unreachable at ${redisHost(this.o.url)} (${reason}); reconnecting with backoff (at most every ${RECONNECT_MAX_MS / 1000} s); runs wait for it`, { redis: 'down', reason });
    this.o.onChange?.(false);
    this.changes.emit('down');
  }

  private back(): void {
    if (this.lostAt === undefined) return;
    const ms = (this.o.now ?? Date.now)() - this.lostAt;
    const attempts = this.attempts - this.attemptsAtLoss;
    this.lostAt = undefined;
    if (this.closing) return;
    this.o.log('info', `Redis reachable again at ${redisHost(this.o.url)} after ${formatDuration(ms)} (${attempts} reconnect attempt(s))`, { redis: 'up', downMs: ms, attempts });
    this.o.onChange?.(true);
  }
}
