import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, type Repository } from 'typeorm';
import { toIsoTimestamp } from '../columns';
import { MessageExternalIdEntity } from '../entities/message-external-id.entity';
import { MessageEntity } from '../entities/message.entity';
import type {
  InboundMessageInput,
  MessageDirection,
  MessageStatus,
  OutboundMessageInput,
  PublishedIds,
  PublishedInbound,
  RecordResult,
  StoredMessage,
} from '../models/message.model';
import { RecordNotFoundError } from '../record-not-found.error';
import { isUniqueViolation } from '../unique-violation';
import { batchedReads, paddedKeys } from '../batched-reads';
import { PreparedSql, preparedSqlOf } from '../prepared-sql';

/** Statuses an outbound message may leave for SENT / FAILED / READ (READ is never undone). */
const SENDABLE: MessageStatus[] = ['PENDING', 'FAILED'];
const FAILABLE: MessageStatus[] = ['PENDING', 'SENT', 'FAILED'];
const READABLE: MessageStatus[] = ['PENDING', 'SENT'];

/**
 * Messages in both directions, their platform ids and HubSpot ids. Writes use no multi-statement
 * transactions (TypeORM's SQLite driver shares one connection, so concurrent transactions would
 * interleave); instead each step is idempotent and unique indexes decide races.
 */
@Injectable()
export class MessageRepository {
  private readonly rows: Repository<MessageEntity>;
  private readonly externalIds: Repository<MessageExternalIdEntity>;
  /** Every customer message is recorded and marked published: prepared statements. */
  private readonly sql: PreparedSql;
  private readonly table: string;
  private readonly statuses = batchedReads<string, MessageStatus>(async (keys) => {
    const padded = paddedKeys(keys);
    const rows = await this.sql.all<{ idempotency_key: string; status: MessageStatus }>(
      `SELECT idempotency_key, status FROM ${this.table} ` +
        `WHERE idempotency_key IN (${padded.map(() => '?').join(', ')})`,
      padded,
    );
    const byKey = new Map(rows.map((row) => [row.idempotency_key, row.status]));
    return keys.map((key) => byKey.get(key));
  });

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(MessageEntity);
    this.externalIds = dataSource.getRepository(MessageExternalIdEntity);
    this.sql = preparedSqlOf(dataSource);
    this.table = this.sql.table(MessageEntity);
  }

  /** A customer message about to be published to HubSpot (status PENDING). Idempotent by key. */
  recordInbound(input: InboundMessageInput, now = new Date()): Promise<RecordResult> {
    return this.record(
      {
        accountId: input.accountId,
        conversationId: input.conversationId,
        idempotencyKey: input.idempotencyKey,
        direction: 'INCOMING',
        externalMessageId: input.externalMessageId,
        hubspotMessageId: null,
        hubspotThreadId: null,
      },
      [input.externalMessageId],
      now,
    );
  }

  /**
   * The status of the message recorded under this key, if any: one indexed read, shared with the
   * other jobs asking in the same turn of the event loop (batched-reads.ts).
   */
  statusByIdempotencyKey(idempotencyKey: string): Promise<MessageStatus | undefined> {
    return this.statuses.load(idempotencyKey);
  }

  /**
   * Customer messages HubSpot accepted, recorded PUBLISHED with their platform ids: each created,
   * or an earlier record under the same key (e.g. PENDING from an attempt that failed) updated;
   * `hubspot` null when HubSpot's ids are unknown (it answered 409 to a replayed idempotency id).
   * Recording after publishing keeps writes off the path to HubSpot; a crash in between
   * republishes the same idempotency id, which HubSpot answers 409.
   *
   * Two statements, whatever the number of messages (the publisher's group commit): one
   * multi-row upsert of the records, one multi-row insert of their platform ids. A key given
   * twice is one record (with HubSpot's ids if either has them).
   */
  async recordPublishedInbounds(entries: PublishedInbound[], now = new Date()): Promise<void> {
    const byKey = new Map<string, { row: MessageEntity; externalId: string }>();
    for (const { input, hubspot } of entries) {
      const earlier = byKey.get(input.idempotencyKey);
      if (earlier && earlier.row.hubspotMessageId !== null) continue;
      byKey.set(input.idempotencyKey, {
        externalId: input.externalMessageId,
        row: this.rows.create({
          id: randomUUID(),
          accountId: input.accountId,
          conversationId: input.conversationId,
          idempotencyKey: input.idempotencyKey,
          direction: 'INCOMING' satisfies MessageDirection,
          externalMessageId: input.externalMessageId,
          hubspotMessageId: hubspot?.hubspotMessageId ?? null,
          hubspotThreadId: hubspot?.hubspotThreadId ?? null,
          status: 'PUBLISHED' satisfies MessageStatus,
          failureReason: null,
          createdAt: now,
          updatedAt: now,
        }),
      });
    }
    const records = [...byKey.values()];
    if (records.length === 0) return;
    const rows = records.map((record) => record.row);
    const stored = await this.sql.upsert(MessageEntity, rows, {
      conflict: ['idempotency_key'],
      update: {
        status: 'excluded',
        updated_at: 'excluded',
        hubspot_message_id: 'coalesce',
        hubspot_thread_id: 'coalesce',
      },
      returning: ['id', 'idempotency_key'],
    });
    // An earlier record keeps its id; its platform ids stay as they are (position 0 is the
    // message's own platform id).
    const idOf = new Map(stored.map((r) => [String(r.idempotency_key), String(r.id)]));
    await this.sql.insert(
      MessageExternalIdEntity,
      records.map(({ row, externalId }) =>
        this.externalIdRow({ ...row, id: idOf.get(row.idempotencyKey) ?? row.id }, externalId, 0),
      ),
      { orIgnore: true },
    );
  }

  /** An agent's message about to be sent on the platform (status PENDING). Idempotent by key. */
  recordOutbound(input: OutboundMessageInput, now = new Date()): Promise<RecordResult> {
    return this.record(
      {
        accountId: input.accountId,
        conversationId: input.conversationId,
        idempotencyKey: input.idempotencyKey,
        direction: 'OUTGOING',
        externalMessageId: null,
        hubspotMessageId: input.hubspotMessageId,
        hubspotThreadId: input.hubspotThreadId ?? null,
      },
      [],
      now,
    );
  }

  /** An inbound message is now in HubSpot. */
  async markPublished(id: string, hubspot: PublishedIds, now = new Date()): Promise<void> {
    const result = await this.rows.update(
      { id },
      { ...hubspot, status: 'PUBLISHED' satisfies MessageStatus, updatedAt: now },
    );
    if (!result.affected) throw new RecordNotFoundError('message', id);
  }

  /**
   * The platform accepted an outbound message, under these ids (in order). Returns false when the
   * status did not change (already SENT or READ); the ids are recorded either way.
   */
  async markSent(id: string, externalMessageIds: string[], now = new Date()): Promise<boolean> {
    const message = await this.rows.findOneBy({ id });
    if (!message) throw new RecordNotFoundError('message', id);
    await this.addExternalIds(message, externalMessageIds);
    if (message.externalMessageId === null && externalMessageIds.length > 0) {
      await this.rows.update(
        { id, externalMessageId: IsNull() },
        { externalMessageId: externalMessageIds[0] },
      );
    }
    return this.transition(id, SENDABLE, { status: 'SENT', failureReason: null, updatedAt: now });
  }

  /** Sending failed for good; `reason` reaches the agent. False when already READ. */
  markFailed(id: string, reason: string, now = new Date()): Promise<boolean> {
    return this.transition(id, FAILABLE, {
      status: 'FAILED',
      failureReason: reason,
      updatedAt: now,
    });
  }

  /** The customer read the message. False when it was already READ or FAILED. */
  markRead(id: string, now = new Date()): Promise<boolean> {
    return this.transition(id, READABLE, { status: 'READ', updatedAt: now });
  }

  /**
   * A read receipt "up to and including" a message: marks READ that message and every SENT
   * outbound message of the conversation recorded before it (earlier messages still PENDING were
   * not delivered yet, so they stay). Returns the messages that changed (to tell HubSpot).
   */
  async markReadUpTo(
    conversationId: string,
    externalMessageId: string,
    now = new Date(),
  ): Promise<StoredMessage[]> {
    const reference = await this.findRowByExternalId({ conversationId }, externalMessageId);
    if (!reference) return [];
    const candidates = await this.rows
      .createQueryBuilder('m')
      .where('m.conversationId = :conversationId', { conversationId })
      .andWhere('m.direction = :direction', { direction: 'OUTGOING' satisfies MessageDirection })
      .andWhere('(m.status = :sent OR m.id = :referenceId)', {
        sent: 'SENT' satisfies MessageStatus,
        referenceId: reference.id,
      })
      .andWhere('m.createdAt <= :createdAt', { createdAt: toIsoTimestamp(reference.createdAt) })
      .orderBy('m.createdAt', 'ASC')
      .getMany();
    const changed: StoredMessage[] = [];
    for (const candidate of candidates) {
      if (await this.markRead(candidate.id, now)) {
        const row = await this.rows.findOneByOrFail({ id: candidate.id });
        changed.push(await this.toDomain(row));
      }
    }
    return changed;
  }

  async findById(id: string): Promise<StoredMessage | undefined> {
    const row = await this.rows.findOneBy({ id });
    return row ? this.toDomain(row) : undefined;
  }

  /**
   * The message a platform id belongs to, within an account (and a conversation, for platforms
   * whose message ids are only unique per chat, like Telegram). The earliest one wins.
   */
  async findByExternalId(
    accountId: string,
    externalMessageId: string,
    conversationId?: string,
  ): Promise<StoredMessage | undefined> {
    const row = await this.findRowByExternalId(
      { accountId, ...(conversationId !== undefined && { conversationId }) },
      externalMessageId,
    );
    return row ? this.toDomain(row) : undefined;
  }

  async findByHubSpotId(hubspotMessageId: string): Promise<StoredMessage | undefined> {
    const row = await this.rows.findOneBy({ hubspotMessageId });
    return row ? this.toDomain(row) : undefined;
  }

  /**
   * The conversation a HubSpot thread's messages belong to within an account, also for a thread
   * the conversation has since left (the threading setting started a newer one).
   */
  async findConversationIdByThread(
    accountId: string,
    hubspotThreadId: string,
  ): Promise<string | undefined> {
    const row = await this.rows.findOne({
      select: { conversationId: true },
      where: { accountId, hubspotThreadId },
      order: { createdAt: 'DESC' },
    });
    return row?.conversationId;
  }

  async findByIdempotencyKey(idempotencyKey: string): Promise<StoredMessage | undefined> {
    const row = await this.rows.findOneBy({ idempotencyKey });
    return row ? this.toDomain(row) : undefined;
  }

  private async record(
    values: Pick<
      MessageEntity,
      | 'accountId'
      | 'conversationId'
      | 'idempotencyKey'
      | 'direction'
      | 'externalMessageId'
      | 'hubspotMessageId'
      | 'hubspotThreadId'
    >,
    externalMessageIds: string[],
    now: Date,
  ): Promise<RecordResult> {
    const row = this.rows.create({
      ...values,
      id: randomUUID(),
      status: 'PENDING' satisfies MessageStatus,
      failureReason: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.sql.insert(MessageEntity, row);
      // A new record has no platform ids yet: insert them without counting or reading back.
      await this.insertExternalIds(row, externalMessageIds, 0);
      return { message: domainOf(row, externalMessageIds), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const stored = await this.rows.findOneBy({ idempotencyKey: values.idempotencyKey });
    if (!stored) {
      // The unique violation was not on the idempotency key (e.g. a reused HubSpot message id).
      throw new Error(
        `message ${values.hubspotMessageId ?? values.externalMessageId} is already recorded ` +
          `under another idempotency key than ${values.idempotencyKey}`,
      );
    }
    // Also repairs a record whose ids were not written (a crash right after the insert).
    await this.addExternalIds(stored, externalMessageIds);
    return { message: await this.toDomain(stored), created: false };
  }

  private async addExternalIds(
    message: MessageEntity,
    externalMessageIds: string[],
  ): Promise<void> {
    if (externalMessageIds.length === 0) return;
    const existing = await this.externalIds.count({ where: { messageId: message.id } });
    await this.insertExternalIds(message, externalMessageIds, existing);
  }

  /** Inserts platform ids from `position` on; ids already recorded are left as they are. */
  private async insertExternalIds(
    message: MessageEntity,
    externalMessageIds: string[],
    position: number,
  ): Promise<void> {
    // One statement per id: almost always one, and the same prepared statement for any count.
    for (const [index, externalId] of externalMessageIds.entries()) {
      await this.sql.insert(
        MessageExternalIdEntity,
        this.externalIdRow(message, externalId, position + index),
        { orIgnore: true },
      );
    }
  }

  private externalIdRow(
    message: Pick<MessageEntity, 'id' | 'accountId' | 'conversationId'>,
    externalId: string,
    position: number,
  ): MessageExternalIdEntity {
    return this.externalIds.create({
      messageId: message.id,
      externalId,
      accountId: message.accountId,
      conversationId: message.conversationId,
      position,
    });
  }

  private async transition(
    id: string,
    from: MessageStatus[],
    values: Partial<Pick<MessageEntity, 'status' | 'failureReason' | 'updatedAt'>>,
  ): Promise<boolean> {
    const result = await this.rows.update({ id, status: In(from) }, values);
    if (result.affected) return true;
    if (!(await this.rows.existsBy({ id }))) throw new RecordNotFoundError('message', id);
    return false;
  }

  private async findRowByExternalId(
    scope: { accountId?: string; conversationId?: string },
    externalMessageId: string,
  ): Promise<MessageEntity | undefined> {
    const query = this.rows
      .createQueryBuilder('m')
      .innerJoin(MessageExternalIdEntity, 'x', 'x.messageId = m.id')
      .where('x.externalId = :externalMessageId', { externalMessageId });
    if (scope.accountId !== undefined) {
      query.andWhere('x.accountId = :accountId', { accountId: scope.accountId });
    }
    if (scope.conversationId !== undefined) {
      query.andWhere('x.conversationId = :conversationId', {
        conversationId: scope.conversationId,
      });
    }
    const row = await query.orderBy('m.createdAt', 'ASC').addOrderBy('m.id', 'ASC').getOne();
    return row ?? undefined;
  }

  private async toDomain(row: MessageEntity): Promise<StoredMessage> {
    const ids = await this.externalIds.find({
      where: { messageId: row.id },
      order: { position: 'ASC', externalId: 'ASC' },
    });
    return domainOf(
      row,
      ids.map((id) => id.externalId),
    );
  }
}

function domainOf(row: MessageEntity, externalMessageIds: string[]): StoredMessage {
  return {
    id: row.id,
    accountId: row.accountId,
    conversationId: row.conversationId,
    direction: row.direction as MessageDirection,
    externalMessageIds,
    ...(row.hubspotMessageId !== null && { hubspotMessageId: row.hubspotMessageId }),
    ...(row.hubspotThreadId !== null && { hubspotThreadId: row.hubspotThreadId }),
    status: row.status as MessageStatus,
    ...(row.failureReason !== null && { failureReason: row.failureReason }),
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
