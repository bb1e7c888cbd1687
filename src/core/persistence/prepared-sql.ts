import { QueryFailedError, type DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** What the gateway's SQLite connections offer beyond node-sqlite3 (database-options.ts). */
export interface PreparedStatementCache {
  preparedStatement(sql: string): SqliteStatement;
}

/** The part of node-sqlite3's Statement used here. */
export interface SqliteStatement {
  run(params: unknown[], callback: (this: { changes: number }, error: Error | null) => void): void;
  all(params: unknown[], callback: (error: Error | null, rows: unknown[]) => void): void;
}

const BUSY_RETRY_MS = 100;
const BUSY_RETRIES = 100;

/**
 * The repositories' statements on the message hot path (two reads per customer message, and
 * three writes per batch of them, published-inbound.recorder.ts), run as
 * prepared statements kept for the connection's lifetime. node-sqlite3 runs a one-off statement
 * as prepare, run and finalize, two trips to libuv's threadpool and the wake-ups around each;
 * a kept statement runs in one, and skips TypeORM's query building. TypeORM has no statement
 * cache, so this is a few lines of our own. SQL is written with `?` placeholders; on PostgreSQL
 * it goes through TypeORM's query runner with `$n` placeholders (the pool prepares nothing).
 *
 * Rows are read and written through TypeORM's metadata (column names, transformers, booleans),
 * so entities stay the one description of the tables.
 */
export class PreparedSql {
  /** INSERT statements by table and by number of rows. */
  private readonly inserts = new Map<
    EntityMetadata,
    Map<number, { sql: string; orIgnore: string }>
  >();
  private readonly postgres: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** Rows changed by an INSERT, UPDATE or DELETE. */
  async run(sql: string, params: unknown[]): Promise<number> {
    const statement = this.statement(sql);
    if (!statement) {
      const result = await this.viaQueryRunner(sql, params);
      return result.affected ?? 0;
    }
    return this.withBusyRetry(sql, params, (done) =>
      statement.run(params, function (error) {
        done(error, error ? 0 : this.changes);
      }),
    );
  }

  /** Every row of a SELECT, as the database returns it (column names, raw values). */
  async all<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]> {
    const statement = this.statement(sql);
    if (!statement) return ((await this.viaQueryRunner(sql, params)).records ?? []) as T[];
    return this.withBusyRetry(sql, params, (done) =>
      statement.all(params, (error, rows) => done(error, rows as T[])),
    );
  }

  /** An entity from a raw row (`SELECT *`), as TypeORM would have hydrated it. */
  hydrate<T extends ObjectLiteral>(entity: EntityTarget<T>, raw: Record<string, unknown>): T {
    const metadata = this.dataSource.getMetadata(entity);
    const row = metadata.create() as T;
    for (const column of metadata.columns) {
      column.setEntityValue(
        row,
        this.dataSource.driver.prepareHydratedValue(raw[column.databaseName], column),
      );
    }
    return row;
  }

  /**
   * Inserts entities (every column), one row or several in one statement. `orIgnore` leaves a
   * row whose key exists (no error); otherwise a unique violation fails as TypeORM's would (see
   * unique-violation.ts) and the statement writes nothing.
   */
  async insert<T extends ObjectLiteral>(
    entity: EntityTarget<T>,
    rows: T | T[],
    options: { orIgnore?: boolean } = {},
  ): Promise<number> {
    const list = Array.isArray(rows) ? rows : [rows];
    if (list.length === 0) return 0;
    const metadata = this.dataSource.getMetadata(entity);
    const sql = this.insertSql(metadata, list.length);
    return this.run(options.orIgnore ? sql.orIgnore : sql.sql, this.valuesOf(metadata, list));
  }

  /**
   * Inserts entities or, when a row with the same `conflict` columns exists, updates that row:
   * each `update` column takes the new value (`excluded`) or keeps a non-null old one
   * (`coalesce`). Returns the `returning` columns of the rows written (SQLite 3.35+, PostgreSQL).
   * Several rows go in one statement; they must not share a `conflict` key (PostgreSQL refuses
   * to update one row twice in a statement).
   */
  async upsert<T extends ObjectLiteral>(
    entity: EntityTarget<T>,
    rows: T | T[],
    options: {
      conflict: string[];
      update: Record<string, 'excluded' | 'coalesce'>;
      returning: string[];
    },
  ): Promise<Record<string, unknown>[]> {
    const list = Array.isArray(rows) ? rows : [rows];
    if (list.length === 0) return [];
    const metadata = this.dataSource.getMetadata(entity);
    const escape = (name: string) => this.dataSource.driver.escape(name);
    const table = this.quotedTable(metadata);
    const set = Object.entries(options.update).map(([column, how]) =>
      how === 'excluded'
        ? `${escape(column)} = excluded.${escape(column)}`
        : `${escape(column)} = COALESCE(excluded.${escape(column)}, ${table}.${escape(column)})`,
    );
    const sql =
      `${this.insertSql(metadata, list.length).sql} ` +
      `ON CONFLICT (${options.conflict.map(escape).join(', ')}) ` +
      `DO UPDATE SET ${set.join(', ')} RETURNING ${options.returning.map(escape).join(', ')}`;
    return this.all(sql, this.valuesOf(metadata, list));
  }

  /** Every column's value of each row as the database stores it, in metadata order. */
  private valuesOf<T extends ObjectLiteral>(metadata: EntityMetadata, rows: T[]): unknown[] {
    const values: unknown[] = [];
    for (const row of rows) {
      for (const column of metadata.columns) {
        values.push(
          this.dataSource.driver.preparePersistentValue(column.getEntityValue(row), column),
        );
      }
    }
    return values;
  }

  /** The table's name as the driver quotes it. */
  table<T extends ObjectLiteral>(entity: EntityTarget<T>): string {
    return this.quotedTable(this.dataSource.getMetadata(entity));
  }

  private insertSql(metadata: EntityMetadata, rowCount: number): { sql: string; orIgnore: string } {
    let byCount = this.inserts.get(metadata);
    if (!byCount) {
      byCount = new Map();
      this.inserts.set(metadata, byCount);
    }
    let cached = byCount.get(rowCount);
    if (!cached) {
      const columns = metadata.columns.map((c) => this.dataSource.driver.escape(c.databaseName));
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      const into = `INTO ${this.quotedTable(metadata)} (${columns.join(', ')}) VALUES ${Array(
        rowCount,
      )
        .fill(tuple)
        .join(', ')}`;
      cached = {
        sql: `INSERT ${into}`,
        orIgnore: this.postgres
          ? `INSERT ${into} ON CONFLICT DO NOTHING`
          : `INSERT OR IGNORE ${into}`,
      };
      byCount.set(rowCount, cached);
    }
    return cached;
  }

  private quotedTable(metadata: EntityMetadata): string {
    return metadata.tablePath
      .split('.')
      .map((part) => this.dataSource.driver.escape(part))
      .join('.');
  }

  /** The connection's kept statement; undefined off SQLite (or on a connection without a cache). */
  private statement(sql: string): SqliteStatement | undefined {
    if (this.postgres) return undefined;
    const connection = (this.dataSource.driver as { databaseConnection?: unknown })
      .databaseConnection as Partial<PreparedStatementCache> | undefined;
    return connection?.preparedStatement?.(sql);
  }

  private async viaQueryRunner(sql: string, params: unknown[]) {
    let position = 0;
    const query = this.postgres ? sql.replace(/\?/g, () => `$${++position}`) : sql;
    const runner = this.dataSource.createQueryRunner();
    try {
      return await runner.query(query, params, true);
    } finally {
      await runner.release();
    }
  }

  /** As TypeORM's SQLite runner: SQLITE_BUSY (past the busy timeout) is tried again shortly. */
  private withBusyRetry<T>(
    sql: string,
    params: unknown[],
    execute: (done: (error: Error | null, result: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let retries = 0;
      const attempt = () =>
        execute((error, result) => {
          if (!error) return resolve(result);
          if (String(error).includes('SQLITE_BUSY') && retries++ < BUSY_RETRIES) {
            setTimeout(attempt, BUSY_RETRY_MS);
            return;
          }
          reject(new QueryFailedError(sql, params, error));
        });
      attempt();
    });
  }
}

const instances = new WeakMap<DataSource, PreparedSql>();

/** The PreparedSql of a DataSource (one per DataSource). */
export function preparedSqlOf(dataSource: DataSource): PreparedSql {
  let found = instances.get(dataSource);
  if (!found) {
    found = new PreparedSql(dataSource);
    instances.set(dataSource, found);
  }
  return found;
}
