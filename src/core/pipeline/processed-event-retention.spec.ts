import {
  openRepositoryTestDb,
  type RepositoryTestDb,
} from '../persistence/testing/repository-test-db';
import { recordingLogger } from '../logging/testing/recording-logger';
import {
  FIRST_HOUSEKEEPING_AFTER_MS,
  HOUSEKEEPING_INTERVAL_MS,
} from '../housekeeping/hourly-schedule';
import { PROCESSED_EVENT_RETENTION_MS, ProcessedEventRetention } from './processed-event-retention';

describe('ProcessedEventRetention', () => {
  let db: RepositoryTestDb;

  beforeEach(async () => {
    db = await openRepositoryTestDb();
  });

  afterEach(async () => {
    await db.close();
  });

  it('forgets events older than the retention and keeps newer ones', async () => {
    const now = new Date('2026-11-28T12:00:00.000Z');
    const events = db.repos.processedEvents;
    await events.markProcessed(
      'hubspot',
      'old',
      new Date(now.getTime() - PROCESSED_EVENT_RETENTION_MS - 1),
    );
    await events.markProcessed('inbound:a', 'recent', new Date(now.getTime() - 60_000));
    const { logger, records } = recordingLogger();
    const retention = new ProcessedEventRetention(events, logger);

    expect(await retention.purge(now)).toBe(1);
    expect(await events.isProcessed('hubspot', 'old')).toBe(false);
    expect(await events.isProcessed('inbound:a', 'recent')).toBe(true);
    expect(records.some((r) => r.purged === 1)).toBe(true);
    expect(await retention.purge(now)).toBe(0);
  });

  it('logs a failed purge instead of throwing', async () => {
    const { logger, records } = recordingLogger();
    const failing = {
      purgeOlderThan: () => Promise.reject(new Error('database is locked')),
    } as unknown as ConstructorParameters<typeof ProcessedEventRetention>[0];
    const retention = new ProcessedEventRetention(failing, logger);
    await expect(retention.purge()).resolves.toBe(0);
    expect(records.some((r) => String(r.msg).includes('could not purge'))).toBe(true);
  });

  it('purges a minute after start, then hourly, until shut down', async () => {
    jest.useFakeTimers();
    try {
      const { logger } = recordingLogger();
      const retention = new ProcessedEventRetention(db.repos.processedEvents, logger);
      const purge = jest.spyOn(retention, 'purge').mockResolvedValue(0);
      retention.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(FIRST_HOUSEKEEPING_AFTER_MS);
      expect(purge).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);
      expect(purge).toHaveBeenCalledTimes(2);
      retention.onApplicationShutdown();
      await jest.advanceTimersByTimeAsync(3 * HOUSEKEEPING_INTERVAL_MS);
      expect(purge).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
