import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { AccountStateStore } from '../../adapter';
import { SecretCipher } from '../../crypto/secret-cipher';
import { toIsoTimestamp } from '../columns';
import { AccountStateEntity } from '../entities/account-state.entity';
import { ChannelAccountEntity } from '../entities/channel-account.entity';
import { isUniqueViolation } from '../unique-violation';

/** Compare-and-set rounds before `update` gives up on a key that keeps changing under it. */
const MAX_UPDATE_ATTEMPTS = 50;

/**
 * Small key/value JSON state per account (poll offsets, sync tokens, webhook secrets). Values may
 * be secrets, so every value is encrypted at rest. Backs the adapters' AccountStateStore.
 */
@Injectable()
export class AccountStateRepository {
  private readonly rows: Repository<AccountStateEntity>;

  constructor(
    private readonly dataSource: DataSource,
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

  /**
   * Atomic read-modify-write, also across processes, without a transaction: the write only lands
   * if the row still holds the ciphertext that was read (each write has a fresh IV, so the
   * ciphertext is a version stamp) or, for a new key, if nobody inserted it meanwhile; else the
   * value is read again and `change` runs again.
   */
  async update<T>(
    accountId: string,
    key: string,
    change: (current: T | undefined) => T | undefined,
    now = new Date(),
  ): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.rows.findOneBy({ accountId, key });
      const current = row
        ? (JSON.parse(this.cipher.decrypt(row.value, context(accountId, key))) as T)
        : undefined;
      const next = change(current);
      const json = next === undefined ? undefined : JSON.stringify(next);
      if (await this.compareAndSet(accountId, key, row?.value, json, now)) {
        return json === undefined ? undefined : (JSON.parse(json) as T);
      }
      if (attempt >= MAX_UPDATE_ATTEMPTS) {
        throw new Error(`account state "${key}" kept changing; gave up after ${attempt} attempts`);
      }
    }
  }

  /**
   * Deletes the keys of `adapter`'s accounts that start with `keyPrefix` and were last written
   * before `writtenBefore` (StateRetentionRule); resolves with how many went. One statement for
   * all the adapter's accounts. `substr` rather than LIKE: exact on both databases (SQLite's
   * LIKE ignores case) and no wildcard characters to escape.
   */
  async deleteStale(adapter: string, keyPrefix: string, writtenBefore: Date): Promise<number> {
    if (keyPrefix === '') throw new RangeError('keyPrefix must not be empty');
    const accounts = this.dataSource
      .getRepository(ChannelAccountEntity)
      .createQueryBuilder('account')
      .select('account.id')
      .where('account.adapterId = :adapter');
    const deleted = await this.rows
      .createQueryBuilder()
      .delete()
      .where(`account_id IN (${accounts.getQuery()})`)
      .andWhere('substr(state_key, 1, :prefixLength) = :keyPrefix')
      .andWhere('updated_at < :writtenBefore')
      .setParameters({
        adapter,
        keyPrefix,
        prefixLength: keyPrefix.length,
        writtenBefore: toIsoTimestamp(writtenBefore),
      })
      .execute();
    return deleted.affected ?? 0;
  }

  /** Writes `json` (undefined: deletes) if the row still holds `previous` (undefined: absent). */
  private async compareAndSet(
    accountId: string,
    key: string,
    previous: string | undefined,
    json: string | undefined,
    now: Date,
  ): Promise<boolean> {
    if (json === undefined) {
      if (previous === undefined) return true;
      const deleted = await this.rows
        .createQueryBuilder()
        .delete()
        .where('account_id = :accountId AND state_key = :key AND value = :previous', {
          accountId,
          key,
          previous,
        })
        .execute();
      return (deleted.affected ?? 0) > 0;
    }
    const value = this.cipher.encrypt(json, context(accountId, key));
    if (previous === undefined) {
      try {
        await this.rows.insert(this.rows.create({ accountId, key, value, updatedAt: now }));
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    }
    const updated = await this.rows
      .createQueryBuilder()
      .update()
      .set({ value, updatedAt: now })
      .where('account_id = :accountId AND state_key = :key AND value = :previous', {
        accountId,
        key,
        previous,
      })
      .execute();
    return (updated.affected ?? 0) > 0;
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
      update: <T>(key: string, change: (current: T | undefined) => T | undefined) =>
        this.update<T>(accountId, key, change),
    };
  }
}

function context(accountId: string, key: string): string {
  return `account_state:${accountId}:${key}`;
}
