import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { toIsoTimestamp } from '../columns';
import { ChannelAccountEntity } from '../entities/channel-account.entity';
import { ConversationEntity } from '../entities/conversation.entity';
import type { MessageDirection } from '../models/message.model';
import type {
  Conversation,
  ConversationFilter,
  ConversationInput,
  ConversationStatus,
  ThreadLink,
} from '../models/conversation.model';
import { RecordNotFoundError } from '../record-not-found.error';
import { isUniqueViolation } from '../unique-violation';
import { batchedReads, paddedKeys } from '../batched-reads';
import { PreparedSql, preparedSqlOf } from '../prepared-sql';

const DEFAULT_PAGE_SIZE = 100;

/** A platform chat of an account. */
interface ChatKey {
  accountId: string;
  externalId: string;
}

const chatKeyOf = (key: ChatKey) => JSON.stringify([key.accountId, key.externalId]);

/** Platform conversations and their link to HubSpot threads and tickets. */
@Injectable()
export class ConversationRepository {
  private readonly rows: Repository<ConversationEntity>;
  /** Every customer message finds its conversation and touches it: prepared statements. */
  private readonly sql: PreparedSql;
  private readonly table: string;

  /** findOrCreate's lookup, shared by the jobs asking in one turn of the event loop. */
  private readonly byExternalId = batchedReads<ChatKey, ConversationEntity>(async (keys) => {
    const padded = paddedKeys(keys);
    const rows = await this.sql.all(
      `WITH k(account_id, external_id) AS (VALUES ${padded.map(() => '(?, ?)').join(', ')}) ` +
        `SELECT c.* FROM k JOIN ${this.table} c ` +
        `ON c.account_id = k.account_id AND c.external_id = k.external_id`,
      padded.flatMap((key) => [key.accountId, key.externalId]),
    );
    const found = new Map<string, ConversationEntity>();
    for (const raw of rows) {
      const row = this.sql.hydrate(ConversationEntity, raw);
      found.set(chatKeyOf(row), row);
    }
    return keys.map((key) => found.get(chatKeyOf(key)));
  });

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(ConversationEntity);
    this.sql = preparedSqlOf(dataSource);
    this.table = this.sql.table(ConversationEntity);
  }

  /**
   * The conversation of a platform chat, created on first sight. Safe under concurrency: the
   * unique (account, external id) index decides, and the loser reads the winner's row. A changed
   * title or group flag is stored.
   */
  async findOrCreate(
    accountId: string,
    ref: ConversationInput,
    now = new Date(),
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const existing = await this.byExternalId.load({ accountId, externalId: ref.externalId });
    if (existing) return { conversation: await this.refresh(existing, ref, now), created: false };
    const row = this.rows.create({
      id: randomUUID(),
      accountId,
      externalId: ref.externalId,
      hubspotThreadId: null,
      hubspotTicketId: null,
      integrationThreadId: null,
      status: 'OPEN' satisfies ConversationStatus,
      title: ref.title ?? null,
      isGroup: ref.isGroup ?? false,
      lastMessageAt: null,
      lastInboundAt: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.sql.insert(ConversationEntity, row);
      return { conversation: toDomain(row), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.rows.findOneByOrFail({ accountId, externalId: ref.externalId });
      return { conversation: await this.refresh(winner, ref, now), created: false };
    }
  }

  async findById(id: string): Promise<Conversation | undefined> {
    const row = await this.rows.findOneBy({ id });
    return row ? toDomain(row) : undefined;
  }

  async findByExternalId(accountId: string, externalId: string): Promise<Conversation | undefined> {
    const row = await this.rows.findOneBy({ accountId, externalId });
    return row ? toDomain(row) : undefined;
  }

  /** By the HubSpot thread id (`conversationsThreadId` of an agent's message). */
  async findByThreadId(hubspotThreadId: string): Promise<Conversation | undefined> {
    const row = await this.rows.findOne({
      where: { hubspotThreadId },
      order: { updatedAt: 'DESC' },
    });
    return row ? toDomain(row) : undefined;
  }

  /** By the `integrationThreadId` HubSpot echoes in `channelIntegrationThreadIds`. */
  async findByIntegrationThreadId(
    accountId: string,
    integrationThreadId: string,
  ): Promise<Conversation | undefined> {
    const row = await this.rows.findOneBy({ accountId, integrationThreadId });
    return row ? toDomain(row) : undefined;
  }

  /** Stores the HubSpot thread the conversation's messages land in. */
  async linkThread(id: string, link: ThreadLink, now = new Date()): Promise<void> {
    await this.change(id, {
      hubspotThreadId: link.hubspotThreadId,
      ...(link.integrationThreadId !== undefined && {
        integrationThreadId: link.integrationThreadId,
      }),
      updatedAt: now,
    });
  }

  async linkTicket(id: string, hubspotTicketId: string, now = new Date()): Promise<void> {
    await this.change(id, { hubspotTicketId, updatedAt: now });
  }

  /**
   * Starts over in HubSpot (e.g. the thread was closed and the customer wrote again): forgets the
   * thread and ticket, sets the new integrationThreadId and reopens the conversation.
   */
  async startNewThread(id: string, integrationThreadId: string, now = new Date()): Promise<void> {
    await this.change(id, {
      integrationThreadId,
      hubspotThreadId: null,
      hubspotTicketId: null,
      status: 'OPEN' satisfies ConversationStatus,
      updatedAt: now,
    });
  }

  async setStatus(id: string, status: ConversationStatus, now = new Date()): Promise<void> {
    await this.change(id, { status, updatedAt: now });
  }

  /**
   * Records message activity at `at`. Only moves the timestamps forward, so events processed out
   * of order never rewind them; `INCOMING` also sets the last inbound time.
   */
  async touch(id: string, at: Date, direction: MessageDirection, now = new Date()): Promise<void> {
    if (direction === 'INCOMING') return this.touchIncoming([{ id, at }], now);
    // One statement (each costs a round trip to SQLite's thread); a column moves only forward.
    const later = (column: string) => `(${column} IS NULL OR ${column} < ?)`;
    const forward = (column: string) =>
      `${column} = CASE WHEN ${later(column)} THEN ? ELSE ${column} END`;
    const iso = toIsoTimestamp(at);
    await this.sql.run(
      `UPDATE ${this.table} SET ${forward('last_message_at')}, updated_at = ? ` +
        `WHERE id = ? AND ${later('last_message_at')}`,
      [iso, iso, toIsoTimestamp(now), id, iso],
    );
  }

  /**
   * `touch(id, at, 'INCOMING')` for several conversations in one statement (the publisher's
   * group commit); a conversation given twice moves to the later time.
   */
  async touchIncoming(entries: { id: string; at: Date }[], now = new Date()): Promise<void> {
    const latest = new Map<string, string>();
    for (const { id, at } of entries) {
      const iso = toIsoTimestamp(at);
      const known = latest.get(id);
      if (known === undefined || known < iso) latest.set(id, iso);
    }
    if (latest.size === 0) return;
    const t = (column: string) => `${this.table}.${column}`;
    const later = (column: string) => `(${t(column)} IS NULL OR ${t(column)} < t.at)`;
    const forward = (column: string) =>
      `${column} = CASE WHEN ${later(column)} THEN t.at ELSE ${t(column)} END`;
    // A VALUES table joined by UPDATE ... FROM (SQLite 3.33+, PostgreSQL): one statement.
    await this.sql.run(
      `WITH t(id, at) AS (VALUES ${Array(latest.size).fill('(?, ?)').join(', ')}) ` +
        `UPDATE ${this.table} SET ${forward('last_message_at')}, ${forward('last_inbound_at')}, ` +
        `updated_at = ? FROM t WHERE ${t('id')} = t.id ` +
        `AND (${later('last_message_at')} OR ${later('last_inbound_at')})`,
      [...[...latest].flat(), toIsoTimestamp(now)],
    );
  }

  /** Most recently active first. */
  async list(filter: ConversationFilter = {}): Promise<Conversation[]> {
    const query = this.rows.createQueryBuilder('c');
    if (filter.adapterId !== undefined) {
      query.innerJoin(ChannelAccountEntity, 'a', 'a.id = c.accountId');
      query.andWhere('a.adapterId = :adapterId', { adapterId: filter.adapterId });
    }
    if (filter.accountId !== undefined) {
      query.andWhere('c.accountId = :accountId', { accountId: filter.accountId });
    }
    if (filter.status !== undefined) {
      query.andWhere('c.status = :status', { status: filter.status });
    }
    const rows = await query
      .orderBy('c.updatedAt', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .limit(filter.limit ?? DEFAULT_PAGE_SIZE)
      .offset(filter.offset ?? 0)
      .getMany();
    return rows.map(toDomain);
  }

  private async change(
    id: string,
    values: Partial<Omit<ConversationEntity, 'id' | 'accountId' | 'externalId' | 'createdAt'>>,
  ): Promise<void> {
    const result = await this.rows.update({ id }, values);
    if (!result.affected) throw new RecordNotFoundError('conversation', id);
  }

  private async refresh(
    row: ConversationEntity,
    ref: ConversationInput,
    now: Date,
  ): Promise<Conversation> {
    const title = ref.title ?? row.title;
    const isGroup = ref.isGroup ?? row.isGroup;
    if (title === row.title && isGroup === row.isGroup) return toDomain(row);
    await this.rows.update({ id: row.id }, { title, isGroup, updatedAt: now });
    return toDomain({ ...row, title, isGroup, updatedAt: now });
  }
}

function toDomain(row: ConversationEntity): Conversation {
  return {
    id: row.id,
    accountId: row.accountId,
    externalId: row.externalId,
    ...(row.hubspotThreadId !== null && { hubspotThreadId: row.hubspotThreadId }),
    ...(row.hubspotTicketId !== null && { hubspotTicketId: row.hubspotTicketId }),
    ...(row.integrationThreadId !== null && { integrationThreadId: row.integrationThreadId }),
    status: row.status as ConversationStatus,
    ...(row.title !== null && { title: row.title }),
    isGroup: row.isGroup,
    ...(row.lastMessageAt !== null && { lastMessageAt: row.lastMessageAt }),
    ...(row.lastInboundAt !== null && { lastInboundAt: row.lastInboundAt }),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
