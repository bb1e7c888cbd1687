import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { recordingLogger } from '../logging/testing/recording-logger';
import { buildDataSourceOptions } from './database-options';
import { BACKSTOP_CHECKPOINT_PAGES } from './gateway-sqlite-database';
import { SqliteCheckpointer } from './sqlite-checkpointer';

jest.setTimeout(30_000);

describe('SqliteCheckpointer', () => {
  let dir: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
    dataSource = await new DataSource(
      buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`),
    ).initialize();
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves checkpoints below the backstop to the background', async () => {
    expect(await dataSource.query('PRAGMA wal_autocheckpoint')).toEqual([
      { wal_autocheckpoint: BACKSTOP_CHECKPOINT_PAGES },
    ]);
  });

  it('copies the WAL into the database on its own connection', async () => {
    const { logger, records } = recordingLogger();
    const checkpointer = new SqliteCheckpointer(dataSource, logger);
    await checkpointer.onApplicationBootstrap();
    try {
      await dataSource.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const before = statSync(join(dir, 'gateway.sqlite')).size;
      for (let i = 0; i < 200; i++) {
        await dataSource.query('INSERT INTO t (v) VALUES (?)', ['x'.repeat(2_000)]);
      }
      const result = await checkpointer.checkpoint();
      expect(result?.walFrames).toBeGreaterThan(100);
      expect(result?.checkpointed).toBe(result?.walFrames);
      // The rows are in the database file itself now, not only in the WAL.
      expect(statSync(join(dir, 'gateway.sqlite')).size).toBeGreaterThan(before + 200 * 2_000);
      expect(records.filter((r) => r.level === 40)).toEqual([]);
    } finally {
      await checkpointer.onApplicationShutdown();
    }
    expect(await checkpointer.checkpoint()).toBeUndefined();
  });

  it('does nothing for an in-memory database', async () => {
    const memory = await new DataSource(buildDataSourceOptions('sqlite::memory:')).initialize();
    try {
      const checkpointer = new SqliteCheckpointer(memory, recordingLogger().logger);
      await checkpointer.onApplicationBootstrap();
      expect(await checkpointer.checkpoint()).toBeUndefined();
      await checkpointer.onApplicationShutdown();
    } finally {
      await memory.destroy();
    }
  });
});
