import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../../crypto/secret-cipher';
import { PERSISTENCE_ENTITIES } from '../entities/persistence-entities';
import { PERSISTENCE_MIGRATIONS } from '../migrations/persistence-migrations';
import { createRepositories, type PersistenceRepositories } from '../repositories';
import { createSqliteTestDatabase } from './test-database';

/** A migrated SQLite database with the gateway's repositories (random encryption key). */
export interface RepositoryTestDb {
  repos: PersistenceRepositories;
  close(): Promise<void>;
}

/** For unit tests of services built on the repositories. */
export async function openRepositoryTestDb(): Promise<RepositoryTestDb> {
  const db = await createSqliteTestDatabase();
  const dataSource = new DataSource(
    db.options({ entities: PERSISTENCE_ENTITIES, migrations: PERSISTENCE_MIGRATIONS }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    repos: createRepositories(dataSource, new SecretCipher(randomBytes(32))),
    async close() {
      await dataSource.destroy();
      await db.dispose();
    },
  };
}
