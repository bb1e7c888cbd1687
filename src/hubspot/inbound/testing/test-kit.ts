/** Small helpers the inbound pipeline's unit tests share. */
import type { JobContext } from '../../../core/queue/job-queue';
import { InboundClock } from '../inbound-clock';

/** A clock the test moves by hand. */
export class ManualClock extends InboundClock {
  constructor(private time = Date.parse('2026-03-01T10:00:00.000Z')) {
    super();
  }

  override now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

export function jobContext(overrides: Partial<JobContext> = {}): JobContext {
  return {
    jobId: 'job-1',
    queue: 'inbound',
    attempt: 1,
    maxAttempts: 5,
    signal: new AbortController().signal,
    ...overrides,
  };
}

export { recordingLogger } from '../../../core/logging/testing/recording-logger';
