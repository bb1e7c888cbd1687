import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { scheduleHourly } from '../housekeeping/hourly-schedule';
import { GATEWAY_LOGGER, type GatewayLogger } from '../logging';
import { ProcessedEventRepository } from '../persistence/repositories/processed-event.repository';

/**
 * How long an accepted event is remembered. Redeliveries come within hours (HubSpot retries a
 * webhook for up to about a day, Telegram keeps an update for 24 hours, Twilio does not retry):
 * a week is far beyond any of them.
 */
export const PROCESSED_EVENT_RETENTION_MS = 7 * 24 * 60 * 60_000;

/**
 * Deletes processed-event records (HubSpot webhook events, platform read receipts and delivery
 * statuses) older than the retention, once an hour, so the table does not grow for ever. Every
 * gateway process may run it: the deletes are idempotent.
 */
@Injectable()
export class ProcessedEventRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly processedEvents: ProcessedEventRepository,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = scheduleHourly(() => this.purge());
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** One purge; never throws (a failure is logged and the next hour tries again). */
  async purge(now = new Date()): Promise<number> {
    try {
      const purged = await this.processedEvents.purgeOlderThan(
        new Date(now.getTime() - PROCESSED_EVENT_RETENTION_MS),
      );
      if (purged > 0) this.logger.info({ purged }, 'forgot processed events older than 7 days');
      return purged;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not purge old processed events; retrying in an hour');
      return 0;
    }
  }
}
