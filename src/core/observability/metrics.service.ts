import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueEventBase, QueueObserver } from '../queue/queue-observer';
import type { QueueStats } from '../queue/job-queue';

/**
 * Prometheus metrics of the gateway. It is the queue's observer (jobs enqueued, completed,
 * failed, retried, dead-lettered, lag) and counts adapter traffic. Its own registry keeps
 * several gateways in one test process apart.
 */
@Injectable()
export class MetricsService implements QueueObserver {
  readonly registry = new Registry();

  private readonly enqueued = this.counter('gateway_jobs_enqueued_total', 'Jobs enqueued', [
    'queue',
  ]);
  private readonly completed = this.counter('gateway_jobs_completed_total', 'Jobs completed', [
    'queue',
  ]);
  private readonly failed = this.counter(
    'gateway_jobs_failed_total',
    'Failed job attempts (each attempt counts)',
    ['queue'],
  );
  private readonly retried = this.counter(
    'gateway_jobs_retried_total',
    'Jobs scheduled for a retry',
    ['queue'],
  );
  private readonly deadLettered = this.counter(
    'gateway_jobs_dead_lettered_total',
    'Jobs moved to the dead-letter table',
    ['queue', 'permanent'],
  );
  private readonly duration = new Histogram({
    name: 'gateway_job_duration_seconds',
    help: 'Time a job handler ran',
    labelNames: ['queue', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: 'gateway_queue_lag_seconds',
    help: 'Time between a job becoming runnable and its start',
    labelNames: ['queue'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });
  private readonly queueJobs = new Gauge({
    name: 'gateway_queue_jobs',
    help: 'Jobs in the queue by state, sampled at scrape time',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly oldestWaiting = new Gauge({
    name: 'gateway_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job that is ready but not started',
    registers: [this.registry],
  });
  private readonly adapterEvents = this.counter(
    'gateway_adapter_events_total',
    'Platform events per adapter, direction and outcome',
    ['adapter', 'direction', 'outcome'],
  );
  private readonly adapterUp = new Gauge({
    name: 'gateway_adapter_up',
    help: '1 when the adapter is running, 0 when it failed',
    labelNames: ['adapter'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
  }

  onEnqueued(event: QueueEventBase): void {
    this.enqueued.inc({ queue: event.queue });
  }
  onStarted(event: QueueEventBase & { lagMs: number }): void {
    this.lag.observe({ queue: event.queue }, event.lagMs / 1000);
  }
  onCompleted(event: QueueEventBase & { durationMs: number }): void {
    this.completed.inc({ queue: event.queue });
    this.duration.observe({ queue: event.queue, outcome: 'completed' }, event.durationMs / 1000);
  }
  onFailed(event: QueueEventBase & { durationMs: number }): void {
    this.failed.inc({ queue: event.queue });
    this.duration.observe({ queue: event.queue, outcome: 'failed' }, event.durationMs / 1000);
  }
  onRetried(event: QueueEventBase): void {
    this.retried.inc({ queue: event.queue });
  }
  onDeadLettered(event: QueueEventBase & { permanent: boolean }): void {
    this.deadLettered.inc({ queue: event.queue, permanent: String(event.permanent) });
  }

  countAdapterEvent(adapter: string, direction: 'inbound' | 'outbound', outcome: string): void {
    this.adapterEvents.inc({ adapter, direction, outcome });
  }

  setAdapterUp(adapter: string, up: boolean): void {
    this.adapterUp.set({ adapter }, up ? 1 : 0);
  }

  recordQueueStats(stats: QueueStats): void {
    this.queueJobs.set({ state: 'waiting' }, stats.waiting);
    this.queueJobs.set({ state: 'active' }, stats.active);
    this.queueJobs.set({ state: 'delayed' }, stats.delayed);
    this.queueJobs.set({ state: 'dead_lettered' }, stats.deadLettered);
    this.oldestWaiting.set(stats.oldestWaitingMs / 1000);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
