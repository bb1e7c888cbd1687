import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { GATEWAY_ENTITIES } from '../entities';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { pendingSchemaChanges } from './schema-drift';
import type { TestDatabase } from './test-database';

/**
 * Every migration of the gateway (all owners) against every entity: what start-up really runs.
 * Catches drift between any entity and its migration, on SQLite and on PostgreSQL.
 */
export function gatewaySchemaSuite(createDatabase: () => Promise<TestDatabase>): void {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createDatabase();
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('GATEWAY_MIGRATIONS create exactly what GATEWAY_ENTITIES declare', async () => {
    const dataSource = new DataSource({
      ...db.options({ entities: GATEWAY_ENTITIES, migrations: GATEWAY_MIGRATIONS }),
      migrationsRun: true,
    });
    await dataSource.initialize();
    try {
      expect(await dataSource.showMigrations()).toBe(false);
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
}
