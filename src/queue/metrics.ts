/** Prometheus metrics of a worker (prom-client, its own registry): jobs, durations, failures, cache hits, limit waits, run events published. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunEvent } from '../engine/events.js';
import { DROP_REASONS, type DropReason, type EventCounts } from './redis/event-stream.js';
import type { JobOutcome } from './types.js';

export class WorkerMetrics implements EventCounts {
  readonly registry = new Registry();
  private readonly jobs = new Counter({ name: 'mpv2_jobs_total', help: 'Jobs finished, by status', labelNames: ['status'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'mpv2_job_failures_total', help: 'Failed jobs, by error code', labelNames: ['code'], registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'mpv2_job_duration_seconds', help: 'Wall time of a job', buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600], registers: [this.registry] });
  private readonly active = new Gauge({ name: 'mpv2_jobs_active', help: 'Jobs running on this worker', registers: [this.registry] });
  private readonly steps = new Counter({ name: 'mpv2_steps_total', help: 'Steps finished, by whether the step cache answered', labelNames: ['cached'], registers: [this.registry] });
  private readonly cacheHits = new Counter({ name: 'mpv2_step_cache_hits_total', help: 'Steps answered from the step cache', registers: [this.registry] });
  private readonly limitWaits = new Counter({ name: 'mpv2_limit_waits_total', help: 'Times a step waited for a named limit', labelNames: ['limit'], registers: [this.registry] });
  private readonly limitWaitSeconds = new Counter({ name: 'mpv2_limit_wait_seconds_total', help: 'Time steps were told to wait for a named limit', labelNames: ['limit'], registers: [this.registry] });

  private readonly redisReconnects = new Counter({ name: 'mpv2_redis_reconnect_attempts_total', help: 'Attempts to reconnect to the shared queue\'s Redis', registers: [this.registry] });
  private readonly redisUp = new Gauge({ name: 'mpv2_redis_up', help: '1 while the shared queue\'s Redis is reachable, 0 during an outage', registers: [this.registry] });

  private readonly eventsOut = new Counter({ name: 'mpv2_run_events_published_total', help: 'Run events published to their runs\' Redis event streams (for mpv2 serve)', registers: [this.registry] });
  private readonly eventsLost = new Counter({ name: 'mpv2_run_events_dropped_total', help: 'Run events not published to their event streams, by reason (redis-away, backlog, write-failed, unserializable)', labelNames: ['reason'], registers: [this.registry] });

  constructor(defaults = true) {
    // every reason shows from the start, at 0, so a rate over it works before the first drop
    for (const reason of DROP_REASONS) this.eventsLost.inc({ reason }, 0);
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'mpv2_worker_' });
  }

  jobStarted(): void {
    this.active.inc();
  }

  jobFinished(o: JobOutcome): void {
    this.active.dec();
    this.jobs.inc({ status: o.status });
    this.duration.observe(o.durationMs / 1000);
    if (o.status === 'failed') this.failures.inc({ code: o.error?.code ?? 'E_INTERNAL' });
  }

  redisAttempt(): void {
    this.redisReconnects.inc();
  }

  redis(up: boolean): void {
    this.redisUp.set(up ? 1 : 0);
  }

  eventsPublished(n: number): void {
    this.eventsOut.inc(n);
  }

  eventsDropped(n: number, reason: DropReason): void {
    this.eventsLost.inc({ reason }, n);
  }

  /** Reads a run's events. */
  event(e: RunEvent): void {
    if (e.event === 'step.finished' && e.index === undefined && !e.reused) {
      this.steps.inc({ cached: String(e.cached) });
      if (e.cached) this.cacheHits.inc();
    } else if (e.event === 'step.waiting') {
      this.limitWaits.inc({ limit: e.limit });
      this.limitWaitSeconds.inc({ limit: e.limit }, e.waitMs / 1000);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
