import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SecretCipher, SecretDecryptionError } from '../../crypto/secret-cipher';
import { PERSISTENCE_ENTITIES } from '../entities/persistence-entities';
import { PERSISTENCE_MIGRATIONS } from '../migrations/persistence-migrations';
import { RecordNotFoundError } from '../record-not-found.error';
import { isUniqueViolation } from '../unique-violation';
import { createRepositories, type PersistenceRepositories } from '../repositories';
import { pendingSchemaChanges } from './schema-drift';
import type { TestDatabase } from './test-database';

const OWN_TABLES = [
  'hubspot_installs',
  'hubspot_channels',
  'channel_accounts',
  'account_state',
  'conversations',
  'messages',
  'message_external_ids',
  'processed_events',
];

const own = { entities: PERSISTENCE_ENTITIES, migrations: PERSISTENCE_MIGRATIONS };

async function existingTables(dataSource: DataSource, tables: string[]): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const found: string[] = [];
    for (const table of tables) if (await runner.hasTable(table)) found.push(table);
    return found;
  } finally {
    await runner.release();
  }
}

const later = (date: Date, ms: number): Date => new Date(date.getTime() + ms);

/**
 * The persistence suite, run on SQLite by `npm test` and on PostgreSQL by `npm run test:services`.
 * `createDatabase` returns a fresh, empty database each time it is called.
 */
export function persistenceSuite(createDatabase: () => Promise<TestDatabase>): void {
  describe('schema', () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createDatabase();
    });

    afterAll(async () => {
      await db?.dispose();
    });

    it('the persistence migrations run up with no drift from the entities, down, and up again', async () => {
      const dataSource = new DataSource(db.options(own));
      await dataSource.initialize();
      try {
        const executed = await dataSource.runMigrations({ transaction: 'each' });
        expect(executed.map((m) => m.name)).toEqual([
          'InitialSchema1764000000000',
          'MessagesByThread1764000003000',
        ]);
        expect(await existingTables(dataSource, OWN_TABLES)).toEqual(OWN_TABLES);
        expect(await pendingSchemaChanges(dataSource)).toEqual([]);

        await dataSource.undoLastMigration({ transaction: 'each' });
        expect(await pendingSchemaChanges(dataSource)).not.toEqual([]);
        await dataSource.undoLastMigration({ transaction: 'each' });
        expect(await existingTables(dataSource, OWN_TABLES)).toEqual([]);

        await dataSource.runMigrations({ transaction: 'each' });
        expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    });
  });

  describe('repositories', () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let cipher: SecretCipher;
    let repos: PersistenceRepositories;

    beforeAll(async () => {
      db = await createDatabase();
      dataSource = new DataSource(db.options(own));
      await dataSource.initialize();
      await dataSource.runMigrations();
      cipher = new SecretCipher(randomBytes(32));
      repos = createRepositories(dataSource, cipher);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.dispose();
    });

    const rawRow = async (
      table: string,
      where: Record<string, string>,
    ): Promise<Record<string, unknown>> => {
      const query = dataSource.createQueryBuilder().select('*').from(table, 't');
      for (const [column, value] of Object.entries(where)) {
        query.andWhere(`t.${column} = :${column}`, { [column]: value });
      }
      const row: unknown = await query.getRawOne();
      if (typeof row !== 'object' || row === null) throw new Error(`no row in ${table}`);
      return row as Record<string, unknown>;
    };

    const newAccount = (adapterId = `a${randomBytes(4).toString('hex')}`) =>
      repos.channelAccounts.create({
        adapterId,
        name: 'Support bot',
        credentials: { botToken: '123:secret-token' },
      });

    describe('InstallRepository', () => {
      it('stores encrypted tokens, refreshes them and keeps the install date and scopes', async () => {
        const portalId = String(Date.now());
        const t0 = new Date('2026-11-01T10:00:00.123Z');
        const first = await repos.installs.upsertTokens(
          portalId,
          {
            accessToken: 'access-1',
            refreshToken: 'refresh-1',
            expiresAt: later(t0, 1_800_000),
            scopes: ['conversations.read', 'conversations.custom_channels.write'],
          },
          t0,
        );
        expect(first).toEqual({
          portalId,
          accessToken: 'access-1',
          refreshToken: 'refresh-1',
          expiresAt: later(t0, 1_800_000),
          scopes: ['conversations.read', 'conversations.custom_channels.write'],
          status: 'active',
          installedAt: t0,
          updatedAt: t0,
        });
        const raw = await rawRow('hubspot_installs', { portal_id: portalId });
        expect(raw.access_token).toMatch(/^v1:/);
        expect(JSON.stringify(raw)).not.toContain('access-1');
        expect(JSON.stringify(raw)).not.toContain('refresh-1');

        const t1 = later(t0, 60_000);
        await repos.installs.markBroken(portalId, 'refresh token rejected', t1);
        expect(await repos.installs.findByPortal(portalId)).toMatchObject({
          status: 'broken',
          brokenReason: 'refresh token rejected',
        });

        const t2 = later(t0, 120_000);
        const refreshed = await repos.installs.upsertTokens(
          portalId,
          { accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: later(t2, 1_800_000) },
          t2,
        );
        expect(refreshed).toEqual({
          ...first,
          accessToken: 'access-2',
          refreshToken: 'refresh-2',
          expiresAt: later(t2, 1_800_000),
          updatedAt: t2,
        });
        expect((await repos.installs.list()).map((i) => i.portalId)).toContain(portalId);
        expect(await repos.installs.remove(portalId)).toBe(true);
        expect(await repos.installs.findByPortal(portalId)).toBeUndefined();
      });

      it('refuses to mark an unknown install broken', async () => {
        await expect(repos.installs.markBroken('404', 'x')).rejects.toThrow(RecordNotFoundError);
      });

      it('fails clearly when the tokens were encrypted with another key', async () => {
        await repos.installs.upsertTokens('777', {
          accessToken: 'a',
          refreshToken: 'r',
          expiresAt: new Date(),
          scopes: [],
        });
        const other = createRepositories(dataSource, new SecretCipher(randomBytes(32)));
        await expect(other.installs.findByPortal('777')).rejects.toThrow(SecretDecryptionError);
      });
    });

    describe('ChannelRegistrationRepository', () => {
      it('saves, updates (keeping registeredAt), finds and removes a registration', async () => {
        const t0 = new Date('2026-11-02T08:00:00.000Z');
        const capabilities = {
          deliveryIdentifierTypes: ['HS_PHONE_NUMBER'],
          maxFileAttachmentCount: 1,
        };
        const saved = await repos.channelRegistrations.save(
          { adapterId: 'sms', hubspotChannelId: '1001', name: 'SMS', capabilities },
          t0,
        );
        expect(saved).toEqual({
          adapterId: 'sms',
          hubspotChannelId: '1001',
          name: 'SMS',
          capabilities,
          registeredAt: t0,
          updatedAt: t0,
        });
        const t1 = later(t0, 1000);
        const updated = await repos.channelRegistrations.save(
          { adapterId: 'sms', hubspotChannelId: '1001', name: 'SMS (Twilio)', capabilities: {} },
          t1,
        );
        expect(updated).toEqual({
          ...saved,
          name: 'SMS (Twilio)',
          capabilities: {},
          updatedAt: t1,
        });
        expect(await repos.channelRegistrations.findByChannelId('1001')).toEqual(updated);
        expect(await repos.channelRegistrations.findByAdapter('sms')).toEqual(updated);
        expect(await repos.channelRegistrations.list()).toEqual([updated]);
        expect(await repos.channelRegistrations.remove('sms')).toBe(true);
        expect(await repos.channelRegistrations.findByAdapter('sms')).toBeUndefined();
        expect(await repos.channelRegistrations.remove('sms')).toBe(false);
      });
    });

    describe('ChannelAccountRepository', () => {
      it('creates a pending account with encrypted credentials', async () => {
        const account = await newAccount('telegram-create');
        expect(account).toMatchObject({
          adapterId: 'telegram-create',
          name: 'Support bot',
          status: 'pending',
          authorized: false,
          credentials: { botToken: '123:secret-token' },
          settings: {},
        });
        expect(account.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(await repos.channelAccounts.findById(account.id)).toEqual(account);
        const raw = await rawRow('channel_accounts', { id: account.id });
        expect(raw.credentials).toMatch(/^v1:/);
        expect(JSON.stringify(raw)).not.toContain('secret-token');
      });

      it('binds the HubSpot account and updates flags, name, status, settings and identifier', async () => {
        const account = await newAccount();
        const hubspotId = String(Date.now());
        const bound = await repos.channelAccounts.bindHubSpotAccount(account.id, {
          portalId: '42',
          hubspotChannelId: '1001',
          hubspotChannelAccountId: hubspotId,
          inboxId: '9',
          authorized: true,
        });
        expect(bound).toMatchObject({
          portalId: '42',
          hubspotChannelId: '1001',
          hubspotChannelAccountId: hubspotId,
          inboxId: '9',
          authorized: true,
        });
        expect((await repos.channelAccounts.findByHubSpotId(hubspotId))?.id).toBe(account.id);

        await repos.channelAccounts.setAuthorized(account.id, false);
        await repos.channelAccounts.rename(account.id, 'Night shift');
        await repos.channelAccounts.updateSettings(account.id, {
          threading: 'per-day',
          silenceHours: { from: '22:00', to: '07:00' },
        });
        await repos.channelAccounts.setDeliveryIdentifier(account.id, {
          type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
          value: '@support_bot',
        });
        await repos.channelAccounts.updateCredentials(account.id, { botToken: 'new-token' });
        const failed = await repos.channelAccounts.setStatus(account.id, 'failed', 'token revoked');
        expect(failed).toMatchObject({
          name: 'Night shift',
          authorized: false,
          status: 'failed',
          statusReason: 'token revoked',
          credentials: { botToken: 'new-token' },
          settings: { threading: 'per-day', silenceHours: { from: '22:00', to: '07:00' } },
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: '@support_bot' },
        });
        const active = await repos.channelAccounts.setStatus(account.id, 'active');
        expect(active.statusReason).toBeUndefined();
      });

      it('binds one HubSpot account to one gateway account only', async () => {
        const hubspotId = `dup${Date.now()}`;
        const binding = {
          portalId: '42',
          hubspotChannelId: '1',
          hubspotChannelAccountId: hubspotId,
        };
        const first = await newAccount();
        const second = await newAccount();
        await repos.channelAccounts.bindHubSpotAccount(first.id, binding);
        await expect(
          repos.channelAccounts.bindHubSpotAccount(second.id, binding),
        ).rejects.toThrow();
      });

      it('lists active accounts per adapter and hides deleted ones', async () => {
        const adapterId = `list${randomBytes(3).toString('hex')}`;
        const a = await newAccount(adapterId);
        const b = await newAccount(adapterId);
        const c = await newAccount(adapterId);
        const elsewhere = await newAccount();
        for (const account of [a, b, c, elsewhere]) {
          await repos.channelAccounts.setStatus(account.id, 'active');
        }
        await repos.channelAccounts.setStatus(b.id, 'inactive');
        await repos.channelAccounts.markDeleted(c.id);

        expect((await repos.channelAccounts.listActive(adapterId)).map((x) => x.id)).toEqual([
          a.id,
        ]);
        expect((await repos.channelAccounts.listActive()).map((x) => x.id)).toEqual(
          expect.arrayContaining([a.id, elsewhere.id]),
        );
        expect((await repos.channelAccounts.list({ adapterId })).map((x) => x.id)).toEqual([
          a.id,
          b.id,
        ]);
        expect(await repos.channelAccounts.list({ adapterId, includeDeleted: true })).toHaveLength(
          3,
        );
        expect((await repos.channelAccounts.list({ adapterId, status: 'deleted' }))[0].id).toBe(
          c.id,
        );
      });

      it('erases the credentials when an account is deleted', async () => {
        const account = await newAccount();
        await repos.channelAccounts.setAuthorized(account.id, true);
        const deleted = await repos.channelAccounts.markDeleted(account.id);
        expect(deleted).toMatchObject({ status: 'deleted', authorized: false, credentials: {} });
        expect(deleted.deletedAt).toBeInstanceOf(Date);
        expect((await rawRow('channel_accounts', { id: account.id })).credentials).toBeNull();
      });

      it('throws RecordNotFoundError for unknown accounts', async () => {
        await expect(repos.channelAccounts.rename(randomUUID(), 'x')).rejects.toThrow(
          RecordNotFoundError,
        );
        expect(await repos.channelAccounts.findById(randomUUID())).toBeUndefined();
      });
    });

    describe('AccountStateRepository', () => {
      it('gets, sets, overwrites and deletes encrypted JSON values', async () => {
        const { id } = await newAccount();
        const state = repos.accountState.storeFor(id);
        expect(await state.get('offset')).toBeUndefined();
        await state.set('offset', 41);
        await state.set('offset', 42);
        await state.set('sync', { token: 's_1', rooms: ['!a:hs'] });
        await state.set('nothing', null);
        expect(await state.get<number>('offset')).toBe(42);
        expect(await state.get('sync')).toEqual({ token: 's_1', rooms: ['!a:hs'] });
        expect(await state.get('nothing')).toBeNull();
        expect(await repos.accountState.keys(id)).toEqual(['nothing', 'offset', 'sync']);
        const raw = await rawRow('account_state', { account_id: id, state_key: 'sync' });
        expect(raw.value).toMatch(/^v1:/);

        await state.delete('offset');
        await state.set('sync', undefined);
        expect(await state.get('offset')).toBeUndefined();
        expect(await repos.accountState.keys(id)).toEqual(['nothing']);
        await repos.accountState.clear(id);
        expect(await repos.accountState.keys(id)).toEqual([]);
      });

      it('updates a key atomically, also against another process on the same database', async () => {
        const { id } = await newAccount();
        const state = repos.accountState.storeFor(id);
        expect(await state.update<number>('n', (n) => (n ?? 0) + 1)).toBe(1);
        // A second "process": its own DataSource and repositories on the same database.
        const other = new DataSource(db.options(own));
        await other.initialize();
        try {
          const otherState = createRepositories(other, cipher).accountState.storeFor(id);
          const increments = Array.from({ length: 30 }, (_, i) =>
            (i % 2 ? state : otherState).update<number>('n', (n) => (n ?? 0) + 1),
          );
          await Promise.all(increments);
          expect(await state.get('n')).toBe(31);
          const added = await Promise.all(
            ['a', 'b', 'c', 'd'].map((item, i) =>
              (i % 2 ? state : otherState).update<string[]>('list', (list) => [
                ...(list ?? []),
                item,
              ]),
            ),
          );
          expect(added.every((list) => Array.isArray(list))).toBe(true);
          expect(((await state.get<string[]>('list')) ?? []).sort()).toEqual(['a', 'b', 'c', 'd']);
        } finally {
          await other.destroy();
        }
        expect(await state.update('n', () => undefined)).toBeUndefined();
        expect(await state.get('n')).toBeUndefined();
        expect(await state.update('never', () => undefined)).toBeUndefined();
        expect(await repos.accountState.keys(id)).toEqual(['list']);
      });

      it('deletes stale keys by adapter, key prefix and last write (state retention)', async () => {
        const adapterId = `r${randomBytes(4).toString('hex')}`;
        const a = await newAccount(adapterId);
        const b = await newAccount(adapterId);
        const other = await newAccount();
        const old = new Date('2026-10-01T00:00:00.000Z');
        const recent = new Date('2026-11-20T00:00:00.000Z');
        const cutoff = new Date('2026-11-01T00:00:00.000Z');
        for (const account of [a, b, other]) {
          await repos.accountState.set(account.id, 'status:SM1', 'DELIVERED', old);
          await repos.accountState.set(account.id, 'status:SM2', 'SENT', recent);
          await repos.accountState.set(account.id, 'STATUS:SM3', 'SENT', old);
          await repos.accountState.set(account.id, 'optout:+15550001', { optedOut: true }, old);
        }
        // A key that only looks like the prefix with wildcards must not match either.
        await repos.accountState.set(a.id, 'status_SM4', 'SENT', old);
        expect(await repos.accountState.deleteStale(adapterId, 'status:', cutoff)).toBe(2);
        const left = ['STATUS:SM3', 'optout:+15550001', 'status:SM2'];
        expect(await repos.accountState.keys(a.id)).toEqual([...left, 'status_SM4'].sort());
        expect(await repos.accountState.keys(b.id)).toEqual(left);
        expect(await repos.accountState.keys(other.id)).toEqual([...left, 'status:SM1'].sort());
        expect(await repos.accountState.deleteStale(adapterId, 'status:', cutoff)).toBe(0);
        await expect(repos.accountState.deleteStale(adapterId, '', cutoff)).rejects.toThrow(
          RangeError,
        );
      });

      it('keeps accounts apart and goes away with the account row (cascade)', async () => {
        const a = await newAccount();
        const b = await newAccount();
        await repos.accountState.set(a.id, 'secret', 'A');
        await repos.accountState.set(b.id, 'secret', 'B');
        expect(await repos.accountState.get(a.id, 'secret')).toBe('A');
        await dataSource
          .createQueryBuilder()
          .delete()
          .from('channel_accounts')
          .where('id = :id', { id: a.id })
          .execute();
        expect(await repos.accountState.keys(a.id)).toEqual([]);
        expect(await repos.accountState.get(b.id, 'secret')).toBe('B');
      });
    });

    describe('ConversationRepository', () => {
      it('finds or creates a conversation once, also under concurrency', async () => {
        const { id: accountId } = await newAccount();
        const results = await Promise.all(
          Array.from({ length: 5 }, () =>
            repos.conversations.findOrCreate(accountId, { externalId: '-100123', title: 'Team' }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);
        expect(results[0].conversation).toMatchObject({
          accountId,
          externalId: '-100123',
          title: 'Team',
          isGroup: false,
          status: 'OPEN',
        });

        const renamed = await repos.conversations.findOrCreate(accountId, {
          externalId: '-100123',
          title: 'Team chat',
          isGroup: true,
        });
        expect(renamed).toMatchObject({
          created: false,
          conversation: { title: 'Team chat', isGroup: true },
        });
        expect(await repos.conversations.findByExternalId(accountId, '-100123')).toEqual(
          renamed.conversation,
        );
      });

      it('rejects a conversation of an unknown account instead of taking it for a duplicate', async () => {
        const error: unknown = await repos.conversations
          .findOrCreate(randomUUID(), { externalId: 'x' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(isUniqueViolation(error)).toBe(false);
      });

      it('links threads and tickets and starts new threads', async () => {
        const { id: accountId } = await newAccount();
        const { conversation } = await repos.conversations.findOrCreate(accountId, {
          externalId: 'c1',
        });
        const threadId = `t${Date.now()}`;
        await repos.conversations.linkThread(conversation.id, {
          hubspotThreadId: threadId,
          integrationThreadId: `gw-${conversation.id}-1`,
        });
        await repos.conversations.linkTicket(conversation.id, '555');
        await repos.conversations.setStatus(conversation.id, 'CLOSED');
        expect(await repos.conversations.findByThreadId(threadId)).toMatchObject({
          id: conversation.id,
          hubspotThreadId: threadId,
          hubspotTicketId: '555',
          integrationThreadId: `gw-${conversation.id}-1`,
          status: 'CLOSED',
        });
        expect(
          (
            await repos.conversations.findByIntegrationThreadId(
              accountId,
              `gw-${conversation.id}-1`,
            )
          )?.id,
        ).toBe(conversation.id);

        await repos.conversations.startNewThread(conversation.id, `gw-${conversation.id}-2`);
        const restarted = await repos.conversations.findById(conversation.id);
        expect(restarted).toMatchObject({
          status: 'OPEN',
          integrationThreadId: `gw-${conversation.id}-2`,
        });
        expect(restarted?.hubspotThreadId).toBeUndefined();
        expect(restarted?.hubspotTicketId).toBeUndefined();
        await expect(repos.conversations.linkTicket(randomUUID(), '1')).rejects.toThrow(
          RecordNotFoundError,
        );
      });

      it('only moves activity timestamps forward', async () => {
        const { id: accountId } = await newAccount();
        const { conversation } = await repos.conversations.findOrCreate(accountId, {
          externalId: 'c1',
        });
        const t0 = new Date('2026-11-03T12:00:00.001Z');
        await repos.conversations.touch(conversation.id, t0, 'INCOMING');
        await repos.conversations.touch(conversation.id, later(t0, 5000), 'OUTGOING');
        await repos.conversations.touch(conversation.id, later(t0, -5000), 'INCOMING');
        expect(await repos.conversations.findById(conversation.id)).toMatchObject({
          lastMessageAt: later(t0, 5000),
          lastInboundAt: t0,
        });
      });

      it('touches several conversations in one statement, each only forward', async () => {
        const { id: accountId } = await newAccount();
        const find = async (externalId: string) =>
          (await repos.conversations.findOrCreate(accountId, { externalId })).conversation;
        const [a, b, c] = [await find('a'), await find('b'), await find('c')];
        const t0 = new Date('2026-11-05T12:00:00.000Z');
        await repos.conversations.touch(c.id, later(t0, 9000), 'OUTGOING');
        await repos.conversations.touchIncoming([
          { id: a.id, at: t0 },
          { id: b.id, at: later(t0, 2000) },
          { id: a.id, at: later(t0, 1000) },
          { id: c.id, at: later(t0, 3000) },
        ]);
        await repos.conversations.touchIncoming([{ id: a.id, at: later(t0, -1000) }]);
        await repos.conversations.touchIncoming([]);
        expect(await repos.conversations.findById(a.id)).toMatchObject({
          lastMessageAt: later(t0, 1000),
          lastInboundAt: later(t0, 1000),
        });
        expect(await repos.conversations.findById(b.id)).toMatchObject({
          lastMessageAt: later(t0, 2000),
          lastInboundAt: later(t0, 2000),
        });
        // The agent's later reply stays the last message; the inbound time still moves.
        expect(await repos.conversations.findById(c.id)).toMatchObject({
          lastMessageAt: later(t0, 9000),
          lastInboundAt: later(t0, 3000),
        });
      });

      it('lists by adapter, account and status, most recently active first', async () => {
        const adapterId = `conv${randomBytes(3).toString('hex')}`;
        const a = await newAccount(adapterId);
        const b = await newAccount(adapterId);
        const other = await newAccount();
        const t0 = new Date('2026-11-04T00:00:00.000Z');
        const c1 = (await repos.conversations.findOrCreate(a.id, { externalId: '1' }, t0))
          .conversation;
        const c2 = (await repos.conversations.findOrCreate(b.id, { externalId: '2' }, t0))
          .conversation;
        await repos.conversations.findOrCreate(other.id, { externalId: '3' }, t0);
        await repos.conversations.touch(c1.id, later(t0, 1000), 'INCOMING', later(t0, 1000));
        await repos.conversations.touch(c2.id, later(t0, 2000), 'INCOMING', later(t0, 2000));
        await repos.conversations.setStatus(c1.id, 'CLOSED', later(t0, 500));

        const ids = async (filter: Parameters<typeof repos.conversations.list>[0]) =>
          (await repos.conversations.list(filter)).map((c) => c.id);
        expect(await ids({ adapterId })).toEqual([c2.id, c1.id]);
        expect(await ids({ adapterId, status: 'CLOSED' })).toEqual([c1.id]);
        expect(await ids({ accountId: b.id })).toEqual([c2.id]);
        expect(await ids({ adapterId, limit: 1, offset: 1 })).toEqual([c1.id]);
      });
    });

    describe('MessageRepository', () => {
      const setup = async () => {
        const account = await newAccount();
        const { conversation } = await repos.conversations.findOrCreate(account.id, {
          externalId: 'chat-1',
        });
        return { accountId: account.id, conversationId: conversation.id };
      };

      it('records an inbound message once and publishes it', async () => {
        const ids = await setup();
        const key = `tg:${randomUUID()}`;
        const results = await Promise.all(
          Array.from({ length: 4 }, () =>
            repos.messages.recordInbound({ ...ids, idempotencyKey: key, externalMessageId: '17' }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const { message } = results[0];
        expect(message).toMatchObject({
          ...ids,
          direction: 'INCOMING',
          externalMessageIds: ['17'],
          status: 'PENDING',
          idempotencyKey: key,
        });

        const hubspotMessageId = `hs-${randomUUID()}`;
        await repos.messages.markPublished(message.id, {
          hubspotMessageId,
          hubspotThreadId: '900',
        });
        const published = await repos.messages.findByExternalId(ids.accountId, '17');
        expect(published).toMatchObject({
          id: message.id,
          status: 'PUBLISHED',
          hubspotMessageId,
          hubspotThreadId: '900',
        });
        expect((await repos.messages.findByHubSpotId(hubspotMessageId))?.id).toBe(message.id);
        expect((await repos.messages.findByIdempotencyKey(key))?.id).toBe(message.id);
      });

      it('records a published inbound message, also over an earlier record', async () => {
        const ids = await setup();
        const key = `tg:${randomUUID()}`;
        expect(await repos.messages.statusByIdempotencyKey(key)).toBeUndefined();
        const hubspotMessageId = `hs-${randomUUID()}`;
        await repos.messages.recordPublishedInbounds([
          {
            input: { ...ids, idempotencyKey: key, externalMessageId: '41' },
            hubspot: { hubspotMessageId, hubspotThreadId: '901' },
          },
        ]);
        expect(await repos.messages.statusByIdempotencyKey(key)).toBe('PUBLISHED');
        expect(await repos.messages.findByExternalId(ids.accountId, '41')).toMatchObject({
          ...ids,
          direction: 'INCOMING',
          externalMessageIds: ['41'],
          status: 'PUBLISHED',
          hubspotMessageId,
          hubspotThreadId: '901',
        });

        // A PENDING record (an older attempt) becomes PUBLISHED; unknown HubSpot ids keep none.
        const pendingKey = `tg:${randomUUID()}`;
        const { message: pending } = await repos.messages.recordInbound({
          ...ids,
          idempotencyKey: pendingKey,
          externalMessageId: '42',
        });
        await repos.messages.recordPublishedInbounds([
          { input: { ...ids, idempotencyKey: pendingKey, externalMessageId: '42' }, hubspot: null },
        ]);
        const updated = await repos.messages.findByIdempotencyKey(pendingKey);
        expect(updated).toMatchObject({
          id: pending.id,
          status: 'PUBLISHED',
          externalMessageIds: ['42'],
        });
        expect(updated?.hubspotMessageId).toBeUndefined();
      });

      it('records several published inbound messages at once', async () => {
        const ids = await setup();
        const [k1, k2, k3] = [1, 2, 3].map(() => `tg:${randomUUID()}`);
        const { message: pending } = await repos.messages.recordInbound({
          ...ids,
          idempotencyKey: k3,
          externalMessageId: '53',
        });
        const hs = (n: number) => ({
          hubspotMessageId: `hs-${randomUUID()}-${n}`,
          hubspotThreadId: '902',
        });
        const first = hs(1);
        const second = hs(2);
        await repos.messages.recordPublishedInbounds([
          { input: { ...ids, idempotencyKey: k1, externalMessageId: '51' }, hubspot: first },
          { input: { ...ids, idempotencyKey: k2, externalMessageId: '52' }, hubspot: null },
          // The same event twice (a redelivery): one record, with the ids one of them has.
          { input: { ...ids, idempotencyKey: k2, externalMessageId: '52' }, hubspot: second },
          { input: { ...ids, idempotencyKey: k3, externalMessageId: '53' }, hubspot: null },
        ]);
        await repos.messages.recordPublishedInbounds([]);
        expect(await repos.messages.findByExternalId(ids.accountId, '51')).toMatchObject({
          status: 'PUBLISHED',
          externalMessageIds: ['51'],
          hubspotMessageId: first.hubspotMessageId,
        });
        expect(await repos.messages.findByExternalId(ids.accountId, '52')).toMatchObject({
          status: 'PUBLISHED',
          externalMessageIds: ['52'],
          hubspotMessageId: second.hubspotMessageId,
        });
        // The earlier PENDING record keeps its id and its platform id, now PUBLISHED.
        expect(await repos.messages.findByIdempotencyKey(k3)).toMatchObject({
          id: pending.id,
          status: 'PUBLISHED',
          externalMessageIds: ['53'],
        });
      });

      it('scopes external ids to a conversation when asked (per-chat message ids)', async () => {
        const ids = await setup();
        const other = (
          await repos.conversations.findOrCreate(ids.accountId, { externalId: 'chat-2' })
        ).conversation.id;
        const first = await repos.messages.recordInbound({
          ...ids,
          idempotencyKey: randomUUID(),
          externalMessageId: '1',
        });
        const second = await repos.messages.recordInbound(
          {
            ...ids,
            conversationId: other,
            idempotencyKey: randomUUID(),
            externalMessageId: '1',
          },
          later(new Date(), 1000),
        );
        expect((await repos.messages.findByExternalId(ids.accountId, '1', other))?.id).toBe(
          second.message.id,
        );
        expect(
          (await repos.messages.findByExternalId(ids.accountId, '1', ids.conversationId))?.id,
        ).toBe(first.message.id);
        expect((await repos.messages.findByExternalId(ids.accountId, '1'))?.id).toBe(
          first.message.id,
        );
        expect(await repos.messages.findByExternalId(randomUUID(), '1')).toBeUndefined();
      });

      it('follows an outbound message through SENT (several platform ids), FAILED and READ', async () => {
        const ids = await setup();
        const hubspotMessageId = `hs-${randomUUID()}`;
        const { message, created } = await repos.messages.recordOutbound({
          ...ids,
          idempotencyKey: hubspotMessageId,
          hubspotMessageId,
          hubspotThreadId: '900',
        });
        expect(created).toBe(true);
        expect(message).toMatchObject({
          direction: 'OUTGOING',
          status: 'PENDING',
          externalMessageIds: [],
        });
        expect(
          (
            await repos.messages.recordOutbound({
              ...ids,
              idempotencyKey: hubspotMessageId,
              hubspotMessageId,
            })
          ).created,
        ).toBe(false);

        expect(await repos.messages.markFailed(message.id, 'timeout')).toBe(true);
        expect(await repos.messages.findById(message.id)).toMatchObject({
          status: 'FAILED',
          failureReason: 'timeout',
        });
        expect(await repos.messages.markSent(message.id, ['m1', 'm2', 'm3'])).toBe(true);
        const sent = await repos.messages.findById(message.id);
        expect(sent).toMatchObject({ status: 'SENT', externalMessageIds: ['m1', 'm2', 'm3'] });
        expect(sent?.failureReason).toBeUndefined();
        expect((await repos.messages.findByExternalId(ids.accountId, 'm2'))?.id).toBe(message.id);
        expect(await repos.messages.markSent(message.id, ['m1', 'm2', 'm3'])).toBe(false);

        expect(await repos.messages.markRead(message.id)).toBe(true);
        expect(await repos.messages.markRead(message.id)).toBe(false);
        expect(await repos.messages.markFailed(message.id, 'late failure')).toBe(false);
        expect(await repos.messages.findById(message.id)).toMatchObject({
          status: 'READ',
          externalMessageIds: ['m1', 'm2', 'm3'],
        });
        await expect(repos.messages.markRead(randomUUID())).rejects.toThrow(RecordNotFoundError);
      });

      it('marks outbound messages read up to and including a message', async () => {
        const ids = await setup();
        const t0 = new Date('2026-11-05T09:00:00.000Z');
        const sent = [];
        for (let i = 0; i < 3; i++) {
          const key = `hs-${randomUUID()}`;
          const { message } = await repos.messages.recordOutbound(
            { ...ids, idempotencyKey: key, hubspotMessageId: key },
            later(t0, i * 1000),
          );
          await repos.messages.markSent(message.id, [`out-${i}`]);
          sent.push(message.id);
        }
        const notYetSent = await repos.messages.recordOutbound(
          { ...ids, idempotencyKey: `hs-${randomUUID()}`, hubspotMessageId: `hs-${randomUUID()}` },
          later(t0, 200),
        );
        const inbound = await repos.messages.recordInbound(
          { ...ids, idempotencyKey: randomUUID(), externalMessageId: 'in-1' },
          later(t0, 500),
        );
        await repos.messages.markRead(sent[0]);

        const changed = await repos.messages.markReadUpTo(ids.conversationId, 'out-1');
        expect(changed.map((m) => m.id)).toEqual([sent[1]]);
        expect(changed[0].status).toBe('READ');
        expect((await repos.messages.findById(sent[2]))?.status).toBe('SENT');
        expect((await repos.messages.findById(inbound.message.id))?.status).toBe('PENDING');
        expect((await repos.messages.findById(notYetSent.message.id))?.status).toBe('PENDING');
        expect(await repos.messages.markReadUpTo(ids.conversationId, 'unknown')).toEqual([]);
      });

      it('keeps timestamps to the millisecond', async () => {
        const ids = await setup();
        const at = new Date('2026-11-06T23:59:59.999Z');
        const { message } = await repos.messages.recordInbound(
          { ...ids, idempotencyKey: randomUUID(), externalMessageId: 'ts' },
          at,
        );
        expect((await repos.messages.findById(message.id))?.createdAt).toEqual(at);
      });
    });

    describe('ProcessedEventRepository', () => {
      it('accepts an event exactly once, also under concurrency', async () => {
        const eventId = randomUUID();
        const results = await Promise.all(
          Array.from({ length: 8 }, () => repos.processedEvents.markProcessed('hubspot', eventId)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await repos.processedEvents.markProcessed('hubspot', eventId)).toBe(false);
        expect(await repos.processedEvents.markProcessed('telegram', eventId)).toBe(true);
        expect(await repos.processedEvents.isProcessed('hubspot', eventId)).toBe(true);
        await repos.processedEvents.forget('hubspot', eventId);
        expect(await repos.processedEvents.markProcessed('hubspot', eventId)).toBe(true);
      });

      it('purges records older than a cutoff', async () => {
        const source = `purge-${randomUUID()}`;
        const t0 = new Date('2000-01-01T00:00:00.000Z');
        await repos.processedEvents.markProcessed(source, 'old', t0);
        await repos.processedEvents.markProcessed(source, 'new', later(t0, 60_000));
        expect(await repos.processedEvents.purgeOlderThan(later(t0, 1000))).toBe(1);
        expect(await repos.processedEvents.isProcessed(source, 'old')).toBe(false);
        expect(await repos.processedEvents.isProcessed(source, 'new')).toBe(true);
      });
    });
  });
}
