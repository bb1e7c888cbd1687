/**
 * Several "gateway processes" on one SQLite database: each has its own DataSource and
 * repositories (as separate processes would), and they share one channel account's state through
 * the real AccountStateRepository (encrypted rows, compare-and-set updates).
 */
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AccountStateStore, Credentials } from '../../../src/core/adapter';
import { SecretCipher } from '../../../src/core/crypto/secret-cipher';
import { PERSISTENCE_ENTITIES } from '../../../src/core/persistence/entities/persistence-entities';
import { PERSISTENCE_MIGRATIONS } from '../../../src/core/persistence/migrations/persistence-migrations';
import { createRepositories } from '../../../src/core/persistence/repositories';
import {
  createSqliteTestDatabase,
  type TestDatabase,
} from '../../../src/core/persistence/testing/test-database';

export interface SharedAccountState {
  /** The channel account's id (a real row: state rows reference it). */
  accountId: string;
  /** The account's state as each process sees it. */
  stores: AccountStateStore[];
  close(): Promise<void>;
}

const schema = { entities: PERSISTENCE_ENTITIES, migrations: PERSISTENCE_MIGRATIONS };

export async function openSharedAccountState(
  processes: number,
  credentials: Credentials,
): Promise<SharedAccountState> {
  const db: TestDatabase = await createSqliteTestDatabase();
  const cipher = new SecretCipher(randomBytes(32));
  const sources: DataSource[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      const source = new DataSource(db.options(schema));
      await source.initialize();
      sources.push(source);
    }
    await sources[0].runMigrations();
    const account = await createRepositories(sources[0], cipher).channelAccounts.create({
      adapterId: 'sms',
      name: 'SMS line',
      credentials,
    });
    return {
      accountId: account.id,
      stores: sources.map((source) =>
        createRepositories(source, cipher).accountState.storeFor(account.id),
      ),
      close: () => closeAll(sources, db),
    };
  } catch (error) {
    await closeAll(sources, db);
    throw error;
  }
}

async function closeAll(sources: DataSource[], db: TestDatabase): Promise<void> {
  for (const source of sources) if (source.isInitialized) await source.destroy();
  await db.dispose();
}
