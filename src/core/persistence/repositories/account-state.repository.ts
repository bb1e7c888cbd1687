import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { AccountStateStore } from '../../adapter';
import { SecretCipher } from '../../crypto/secret-cipher';
import { AccountStateEntity } from '../entities/account-state.entity';

/**
 * Small key/value JSON state per account (poll offsets, sync tokens, webhook secrets). Values may
 * be secrets, so every value is encrypted at rest. Backs the adapters' AccountStateStore.
 */
@Injectable()
export class AccountStateRepository {
  private readonly rows: Repository<AccountStateEntity>;

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.rows = dataSource.getRepository(AccountStateEntity);
  }

  /** The stored value, or undefined when the key was never set (or was deleted). */
  async get<T>(accountId: string, key: string): Promise<T | undefined> {
    const row = await this.rows.findOneBy({ accountId, key });
    if (!row) return undefined;
    return JSON.parse(this.cipher.decrypt(row.value, context(accountId, key))) as T;
  }

  /** Stores a JSON-serializable value (atomic upsert). Setting `undefined` deletes the key. */
  async set<T>(accountId: string, key: string, value: T, now = new Date()): Promise<void> {
    const json = JSON.stringify(value);
    if (json === undefined) {
      await this.delete(accountId, key);
      return;
    }
    await this.rows
      .createQueryBuilder()
      .insert()
      .values(
        this.rows.create({
          accountId,
          key,
          value: this.cipher.encrypt(json, context(accountId, key)),
          updatedAt: now,
        }),
      )
      .orUpdate(['value', 'updated_at'], ['account_id', 'state_key'])
      .execute();
  }

  async delete(accountId: string, key: string): Promise<void> {
    await this.rows.delete({ accountId, key });
  }

  /** Keys set for an account, sorted. */
  async keys(accountId: string): Promise<string[]> {
    const rows = await this.rows.find({
      select: { key: true },
      where: { accountId },
      order: { key: 'ASC' },
    });
    return rows.map((row) => row.key);
  }

  /** Removes all state of an account (e.g. before re-connecting it from scratch). */
  async clear(accountId: string): Promise<void> {
    await this.rows.delete({ accountId });
  }

  /** The adapter-facing view of one account's state. */
  storeFor(accountId: string): AccountStateStore {
    return {
      get: <T>(key: string) => this.get<T>(accountId, key),
      set: <T>(key: string, value: T) => this.set<T>(accountId, key, value),
      delete: (key: string) => this.delete(accountId, key),
    };
  }
}

function context(accountId: string, key: string): string {
  return `account_state:${accountId}:${key}`;
}
