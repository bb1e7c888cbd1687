import { DataSource } from 'typeorm';
import { PERSISTENCE_ENTITIES } from './entities/persistence-entities';
import { PERSISTENCE_MIGRATIONS } from './migrations/persistence-migrations';
import { persistenceSuite } from './testing/persistence-suite';
import { createSqliteTestDatabase } from './testing/test-database';

describe('persistence on SQLite', () => {
  persistenceSuite(createSqliteTestDatabase);

  it('runs the database file in WAL mode with foreign keys enforced', async () => {
    const db = await createSqliteTestDatabase();
    const dataSource = new DataSource(
      db.options({ entities: PERSISTENCE_ENTITIES, migrations: PERSISTENCE_MIGRATIONS }),
    );
    await dataSource.initialize();
    try {
      expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await dataSource.destroy();
      await db.dispose();
    }
  });
});
