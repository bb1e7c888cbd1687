import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as sqlite3 from 'sqlite3';
import type { DataSourceOptions } from 'typeorm';
import { GATEWAY_ENTITIES } from './entities';
import { GatewaySqliteDatabase } from './gateway-sqlite-database';
import { GATEWAY_MIGRATIONS } from './migrations';

export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * The sqlite3 module as TypeORM's SQLite driver. TypeORM calls `verbose()` on the module it is
 * given; sqlite3's verbose mode captures a stack trace and inspects the arguments of every
 * statement, about 6 % of the gateway's CPU per message in `npm run bench:e2e`. Handing it the
 * module with a `verbose()` that returns the plain module keeps that cost out (errors then carry
 * the statement's own stack, not the caller's).
 */
const SQLITE3_DRIVER: Record<string, unknown> = {
  ...sqlite3,
  Database: GatewaySqliteDatabase,
  verbose: () => SQLITE3_DRIVER,
};

export interface ParsedDatabaseUrl {
  kind: DatabaseKind;
  /** SQLite: file path or ':memory:'. PostgreSQL: the URL itself. */
  location: string;
}

/**
 * Parses DATABASE_URL: `sqlite:./data/gateway.sqlite`, `sqlite::memory:`, `sqlite:///abs/path`,
 * or `postgres://user:pass@host:5432/db` (also `postgresql://`).
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', location: url };
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/i.exec(url);
  if (sqlite) return { kind: 'sqlite', location: sqlite[1] };
  throw new Error(
    `unsupported database URL "${url}": use sqlite:<path>, sqlite::memory: or postgres://...`,
  );
}

export interface DatabaseOptionsOverrides {
  logging?: boolean;
}

/**
 * TypeORM options for the gateway's database. Schema changes only ever come from migrations,
 * which run at start-up; `synchronize` stays off.
 */
export function buildDataSourceOptions(
  databaseUrl: string,
  overrides: DatabaseOptionsOverrides = {},
): DataSourceOptions {
  const parsed = parseDatabaseUrl(databaseUrl);
  const common = {
    entities: GATEWAY_ENTITIES,
    migrations: GATEWAY_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: overrides.logging ?? false,
  } as const;
  if (parsed.kind === 'postgres') {
    return { ...common, type: 'postgres', url: parsed.location, poolSize: 10 };
  }
  const database = parsed.location === ':memory:' ? ':memory:' : resolve(parsed.location);
  if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
  return {
    ...common,
    type: 'sqlite',
    driver: SQLITE3_DRIVER,
    database,
    // WAL lets readers proceed while the queue writes; busy timeout rides out checkpoints.
    enableWAL: database !== ':memory:',
    busyErrorRetry: 100,
    busyTimeout: 5000,
  };
}
