import {
  type BeforeApplicationShutdown,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AdapterSupervisor } from './core/plugins/adapter-supervisor';
import { JobQueue } from './core/queue/job-queue';

/** How long a graceful stop waits for in-flight jobs before releasing them for the next start. */
export const QUEUE_STOP_TIMEOUT_MS = 10_000;

/**
 * Start and stop order of the moving parts. Start: the queue (every processor registered its
 * handler during module init), then the adapters, so that events they emit are processed.
 * SIGTERM: first stop receiving (no new events), then stop the queue, which lets in-flight jobs
 * finish or releases them; only then does the database close.
 */
@Injectable()
export class GatewayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly queue: JobQueue,
    private readonly supervisor: AdapterSupervisor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
    this.supervisor.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.supervisor.stop();
    await this.queue.stop(QUEUE_STOP_TIMEOUT_MS);
  }
}
