import type { ChannelAccount } from '../../../core/persistence/models/channel-account.model';
import type { Conversation } from '../../../core/persistence/models/conversation.model';
import type { PersistenceRepositories } from '../../../core/persistence/repositories';
import { openRepositoryTestDb } from '../../../core/persistence/testing/repository-test-db';

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
  const { repos, close } = await openRepositoryTestDb();
  return {
    repos,
    close,
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
  };
}
