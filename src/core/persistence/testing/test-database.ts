import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions, type DatabaseKind } from '../database-options';

/** A throw-away database for tests: options to build DataSources on it, and its clean-up. */
export interface TestDatabase {
  kind: DatabaseKind;
  /** Options without auto-run migrations; pass the entities and migrations under test. */
  options(schema: {
    entities: DataSourceOptions['entities'];
    migrations: DataSourceOptions['migrations'];
  }): DataSourceOptions;
  dispose(): Promise<void>;
}

/** A SQLite file in a fresh temporary directory (WAL mode, as in production). */
export async function createSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-db-'));
  const base = buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`);
  return {
    kind: 'sqlite',
    options: (schema) => ({ ...base, ...schema, migrationsRun: false }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema `t_<random>` in the services PostgreSQL, dropped on dispose. */
export async function createPostgresTestDatabase(url = TEST_POSTGRES_URL): Promise<TestDatabase> {
  const schemaName = `t_${randomBytes(6).toString('hex')}`;
  const base = buildDataSourceOptions(url);
  if (base.type !== 'postgres') throw new Error(`not a PostgreSQL URL: ${url}`);
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  try {
    await admin.query(`CREATE SCHEMA "${schemaName}"`);
  } finally {
    await admin.destroy();
  }
  return {
    kind: 'postgres',
    options: (schema) => ({
      ...base,
      ...schema,
      migrationsRun: false,
      schema: schemaName,
      poolSize: 4,
      extra: { options: `-c search_path=${schemaName}` },
    }),
    dispose: async () => {
      const cleaner = new DataSource({ type: 'postgres', url });
      await cleaner.initialize();
      try {
        await cleaner.query(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`);
      } finally {
        await cleaner.destroy();
      }
    },
  };
}
