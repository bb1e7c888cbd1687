import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, QueryFailedError } from 'typeorm';
import { buildDataSourceOptions } from './database-options';
import { ChannelAccountEntity } from './entities/channel-account.entity';
import { ConversationEntity } from './entities/conversation.entity';
import type { PreparedStatementCache } from './prepared-sql';
import { preparedSqlOf } from './prepared-sql';
import { isUniqueViolation } from './unique-violation';

jest.setTimeout(30_000);

/** The gateway's SQLite connection (node-sqlite3 Database) behind a DataSource. */
function connectionOf(dataSource: DataSource): PreparedStatementCache & {
  preparedCount(): number;
} {
  const connection = (dataSource.driver as unknown as { databaseConnection: unknown })
    .databaseConnection as PreparedStatementCache & { prepared: Map<string, unknown[]> };
  return Object.assign(connection, {
    preparedCount: () => [...connection.prepared.values()].flat().length,
  });
}

describe('PreparedSql and the gateway SQLite connection', () => {
  let dir: string;
  let dataSource: DataSource;
  let accountId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prepared-sql-'));
    dataSource = await new DataSource(
      buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`),
    ).initialize();
    accountId = randomUUID();
    await dataSource.getRepository(ChannelAccountEntity).insert({
      id: accountId,
      adapterId: 'echo',
      name: 'Bot',
      credentials: null,
      status: 'ACTIVE',
      authorized: true,
      settingsJson: '{}',
      createdAt: new Date(),
      updatedAt: new Date(),
    } as unknown as ChannelAccountEntity);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const conversation = (externalId: string): ConversationEntity =>
    Object.assign(new ConversationEntity(), {
      id: randomUUID(),
      accountId,
      externalId,
      hubspotThreadId: null,
      hubspotTicketId: null,
      integrationThreadId: null,
      status: 'OPEN',
      title: 'A chat',
      isGroup: true,
      lastMessageAt: null,
      lastInboundAt: new Date('2026-11-28T10:00:00.000Z'),
      createdAt: new Date('2026-11-28T09:00:00.000Z'),
      updatedAt: new Date('2026-11-28T09:00:00.000Z'),
    });

  it('writes and reads entities through TypeORM metadata (names, booleans, timestamps)', async () => {
    const sql = preparedSqlOf(dataSource);
    const row = conversation('chat-a');
    expect(await sql.insert(ConversationEntity, row)).toBe(1);
    const [raw] = await sql.all<Record<string, unknown>>(
      `SELECT * FROM ${sql.table(ConversationEntity)} WHERE id = ?`,
      [row.id],
    );
    expect(raw).toMatchObject({ external_id: 'chat-a', is_group: 1 });
    expect(sql.hydrate(ConversationEntity, raw)).toEqual(row);
    // The same row as TypeORM reads it.
    expect(
      await dataSource.getRepository(ConversationEntity).findOneByOrFail({ id: row.id }),
    ).toEqual(row);
  });

  it('fails a duplicate insert as a unique violation, and ignores it when asked', async () => {
    const sql = preparedSqlOf(dataSource);
    const row = conversation('chat-b');
    await sql.insert(ConversationEntity, row);
    const duplicate = { ...conversation('chat-b') };
    const error: unknown = await sql.insert(ConversationEntity, duplicate).catch((e) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(error)).toBe(true);
    expect(await sql.insert(ConversationEntity, duplicate, { orIgnore: true })).toBe(0);
  });

  it('upserts: inserts, then updates the row with the same key and returns it', async () => {
    const sql = preparedSqlOf(dataSource);
    const first = conversation('chat-c');
    const options = () => ({
      conflict: ['account_id', 'external_id'],
      update: { title: 'excluded', hubspot_thread_id: 'coalesce' } as const,
      returning: ['id', 'title'],
    });
    expect(
      await sql.upsert(ConversationEntity, { ...first, hubspotThreadId: '77' }, options()),
    ).toEqual([{ id: first.id, title: 'A chat' }]);
    const second = { ...conversation('chat-c'), title: 'Renamed' };
    expect(await sql.upsert(ConversationEntity, second, options())).toEqual([
      { id: first.id, title: 'Renamed' },
    ]);
    const stored = await dataSource.getRepository(ConversationEntity).findOneByOrFail({
      id: first.id,
    });
    // 'coalesce' kept the thread id the second write did not have.
    expect(stored).toMatchObject({ title: 'Renamed', hubspotThreadId: '77' });
  });

  it('writes several rows in one statement: insert, insert or ignore, upsert', async () => {
    const sql = preparedSqlOf(dataSource);
    const [d1, d2, d3] = ['chat-d1', 'chat-d2', 'chat-d3'].map(conversation);
    expect(await sql.insert(ConversationEntity, [d1, d2])).toBe(2);
    expect(await sql.insert(ConversationEntity, [])).toBe(0);
    // One duplicate fails the whole statement, or is skipped alone when ignored.
    const error: unknown = await sql.insert(ConversationEntity, [d3, { ...d1 }]).catch((e) => e);
    expect(isUniqueViolation(error)).toBe(true);
    const repo = dataSource.getRepository(ConversationEntity);
    expect(await repo.countBy({ externalId: 'chat-d3' })).toBe(0);
    expect(await sql.insert(ConversationEntity, [d3, { ...d1 }], { orIgnore: true })).toBe(1);
    const returned = await sql.upsert(
      ConversationEntity,
      [
        { ...conversation('chat-d1'), title: 'One' },
        { ...conversation('chat-d4'), title: 'Four' },
      ],
      {
        conflict: ['account_id', 'external_id'],
        update: { title: 'excluded' },
        returning: ['id', 'title'],
      },
    );
    expect(returned).toHaveLength(2);
    expect(returned).toEqual(
      expect.arrayContaining([
        { id: d1.id, title: 'One' },
        expect.objectContaining({ title: 'Four' }),
      ]),
    );
    expect(await repo.countBy({ title: 'One' })).toBe(1);
  });

  it('keeps a few statements per SQL for concurrent use, and reuses them', async () => {
    const sql = preparedSqlOf(dataSource);
    const connection = connectionOf(dataSource);
    const query = `SELECT count(*) AS n FROM ${sql.table(ConversationEntity)} WHERE status = ?`;
    const before = connection.preparedCount();
    const answers = await Promise.all(Array.from({ length: 40 }, () => sql.all(query, ['OPEN'])));
    expect(answers.every((rows) => rows.length === 1)).toBe(true);
    const kept = connection.preparedCount() - before;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThanOrEqual(8);
    await sql.all(query, ['OPEN']);
    expect(connection.preparedCount() - before).toBe(kept);
  });

  it('rejects SQL that does not prepare, with the statement in the error, and keeps nothing', async () => {
    const sql = preparedSqlOf(dataSource);
    const connection = connectionOf(dataSource);
    const before = connection.preparedCount();
    await expect(sql.all('SELECT * FROM no_such_table WHERE id = ?', ['x'])).rejects.toThrow(
      /no such table/,
    );
    expect(connection.preparedCount()).toBe(before);
  });

  it('runs the connection with synchronous FULL: every commit syncs the WAL', async () => {
    expect(await dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
  });

  it('closes a connection that still keeps prepared statements', async () => {
    const other = await new DataSource(
      buildDataSourceOptions(`sqlite:${join(dir, 'second.sqlite')}`),
    ).initialize();
    const sql = preparedSqlOf(other);
    await sql.all(`SELECT count(*) AS n FROM ${sql.table(ConversationEntity)}`, []);
    expect(connectionOf(other).preparedCount()).toBeGreaterThan(0);
    await expect(other.destroy()).resolves.toBeUndefined();
  });
});
