import { Fifo } from './fifo';
import type { JobHandler } from '../job-queue';
import type { ResolvedQueueSettings } from '../queue-options';

export type MemJobState = 'queued' | 'ready' | 'delayed' | 'active' | 'committing';

/** The in-memory twin of a `queue_jobs` row: the dispatcher decides on these, never on the DB. */
export interface MemJob {
  id: string;
  queue: string;
  orderingKey?: string;
  seq: number;
  payload: string;
  /** Attempts started so far (failed ones as stored, plus the running one). */
  attempts: number;
  maxAttempts?: number;
  createdAt: number;
  runAt: number;
  /** When the job became runnable (enqueued, due after a retry, or its key's turn came). */
  readyAt: number;
  state: MemJobState;
}

/** Jobs sharing an ordering key; only the head may run. */
export interface KeyLane {
  jobs: Fifo<MemJob>;
}

/** Everything the dispatcher keeps per queue. */
export class QueueRuntime {
  handler?: JobHandler<unknown>;
  /** Jobs of this queue known in memory, whatever their state. */
  total = 0;
  /** Running or waiting for their completion to commit. */
  active = 0;
  /** Running only: what the concurrency limit counts. */
  running = 0;
  delayed = 0;
  readonly ready = new Fifo<MemJob>();
  readonly lanes = new Map<string, KeyLane>();

  constructor(
    readonly name: string,
    public settings: ResolvedQueueSettings,
  ) {}
}
