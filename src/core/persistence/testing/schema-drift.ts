import type { DataSource } from 'typeorm';

/**
 * The SQL TypeORM would run to make the database match the entities: empty when the migrations
 * that ran produce exactly what the entities declare. Never executed, only logged.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}
