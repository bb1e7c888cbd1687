import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../../../core/crypto/secret-cipher';
import { PERSISTENCE_ENTITIES } from '../../../core/persistence/entities/persistence-entities';
import { PERSISTENCE_MIGRATIONS } from '../../../core/persistence/migrations/persistence-migrations';
import type { ChannelAccount } from '../../../core/persistence/models/channel-account.model';
import type { Conversation } from '../../../core/persistence/models/conversation.model';
import {
  createRepositories,
  type PersistenceRepositories,
} from '../../../core/persistence/repositories';
import {
  createSqliteTestDatabase,
  type TestDatabase,
} from '../../../core/persistence/testing/test-database';

/** A migrated SQLite database with the gateway's repositories, for the outbound unit tests. */
export interface OutboundTestDb {
  repos: PersistenceRepositories;
  /** An active, authorized account bound to HubSpot account `hubspotId` (portal 77, channel 5). */
  boundAccount(hubspotId: string, adapterId?: string): Promise<ChannelAccount>;
  /** A conversation linked to HubSpot thread `threadId` with integration thread `integrationId`. */
  conversation(
    account: ChannelAccount,
    externalId: string,
    link?: { threadId: string; integrationId?: string },
  ): Promise<Conversation>;
  close(): Promise<void>;
}

export const TEST_PORTAL = '77';
export const TEST_CHANNEL = '5';

export async function openOutboundTestDb(): Promise<OutboundTestDb> {
  const db: TestDatabase = await createSqliteTestDatabase();
  const dataSource = new DataSource(
    db.options({ entities: PERSISTENCE_ENTITIES, migrations: PERSISTENCE_MIGRATIONS }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations();
  const repos = createRepositories(dataSource, new SecretCipher(randomBytes(32)));
  return {
    repos,
    async boundAccount(hubspotId, adapterId = 'echo') {
      const created = await repos.channelAccounts.create({
        adapterId,
        name: `account ${hubspotId}`,
        credentials: { token: `echo_${hubspotId}_secret` },
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `bot-${hubspotId}` },
      });
      await repos.channelAccounts.bindHubSpotAccount(created.id, {
        portalId: TEST_PORTAL,
        hubspotChannelId: TEST_CHANNEL,
        hubspotChannelAccountId: hubspotId,
        authorized: true,
      });
      return repos.channelAccounts.setStatus(created.id, 'active');
    },
    async conversation(account, externalId, link) {
      const { conversation } = await repos.conversations.findOrCreate(account.id, { externalId });
      if (!link) return conversation;
      await repos.conversations.linkThread(conversation.id, {
        hubspotThreadId: link.threadId,
        ...(link.integrationId !== undefined && { integrationThreadId: link.integrationId }),
      });
      const linked = await repos.conversations.findById(conversation.id);
      if (!linked) throw new Error('conversation vanished');
      return linked;
    },
    async close() {
      await dataSource.destroy();
      await db.dispose();
    },
  };
}
