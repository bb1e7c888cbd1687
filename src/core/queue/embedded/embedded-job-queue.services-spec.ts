import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../persistence/database-options';
import { DeadLetterEntity } from '../dead-letter.entity';
import { describeJobQueueContract } from '../job-queue.contract';
import { QueueJobEntity } from './queue-job.entity';
import { QueueLeaseEntity } from './queue-lease.entity';
import { EmbeddedJobQueue } from './embedded-job-queue';

const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs the migrations in a schema of its own, dropped afterwards. */
async function postgresInFreshSchema(): Promise<{
  dataSource: DataSource;
  drop: () => Promise<void>;
}> {
  const schema = `queue_test_${process.pid}_${Date.now()}`;
  const admin = new DataSource({ type: 'postgres', url: POSTGRES_URL });
  await admin.initialize();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const options = buildDataSourceOptions(POSTGRES_URL);
  const dataSource = new DataSource({ ...options, schema } as typeof options);
  await dataSource.initialize();
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.destroy();
    },
  };
}

describeJobQueueContract('embedded driver on PostgreSQL', async () => {
  const { dataSource, drop } = await postgresInFreshSchema();
  return {
    newQueue: (options) => new EmbeddedJobQueue(dataSource, { ...options, leaseTtlMs: 3000 }),
    deadLetters: () => dataSource.getRepository(DeadLetterEntity).find(),
    reset: async () => {
      await dataSource.getRepository(QueueJobEntity).clear();
      await dataSource.getRepository(DeadLetterEntity).clear();
      await dataSource.getRepository(QueueLeaseEntity).clear();
    },
    close: drop,
  };
});
