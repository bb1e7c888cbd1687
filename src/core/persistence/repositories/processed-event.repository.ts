import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { toIsoTimestamp } from '../columns';
import { ProcessedEventEntity } from '../entities/processed-event.entity';
import { isUniqueViolation } from '../unique-violation';

/** Remembers accepted events (platform events, HubSpot webhooks) to drop redeliveries. */
@Injectable()
export class ProcessedEventRepository {
  private readonly rows: Repository<ProcessedEventEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(ProcessedEventEntity);
  }

  /**
   * Records the event; false when it was already recorded. Atomic: concurrent calls with the same
   * (source, eventId) get exactly one true, decided by the primary key, not by a prior read.
   */
  async markProcessed(source: string, eventId: string, now = new Date()): Promise<boolean> {
    try {
      await this.rows.insert(this.rows.create({ source, eventId, processedAt: now }));
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async isProcessed(source: string, eventId: string): Promise<boolean> {
    return this.rows.existsBy({ source, eventId });
  }

  /** Forgets an event so that a redelivery is accepted (e.g. storing it failed after marking). */
  async forget(source: string, eventId: string): Promise<void> {
    await this.rows.delete({ source, eventId });
  }

  /** Retention: deletes records older than `cutoff`; returns how many. */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const result = await this.rows
      .createQueryBuilder()
      .delete()
      .where('processed_at < :cutoff', { cutoff: toIsoTimestamp(cutoff) })
      .execute();
    return result.affected ?? 0;
  }
}
