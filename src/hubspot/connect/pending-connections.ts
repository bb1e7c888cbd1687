import type { DeliveryIdentifier } from '../../core/adapter/message.model';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { AccountStateRepository } from '../../core/persistence/repositories/account-state.repository';
import type { ChannelAccountRepository } from '../../core/persistence/repositories/channel-account.repository';

/** Account-state key under which the popup records the HubSpot side of a pending connection. */
export const CONNECT_STATE_KEY = 'hubspot.connect';

/** What the popup remembers about a pending account (encrypted, in the account state). */
export interface PendingConnection {
  /** HubSpot's staging token (spec 4.3); HubSpot's account events do not repeat it. */
  accountToken: string;
  portalId: string;
  channelId: string;
  startedAt: string;
  /** From HubSpot's staging-token answer, once the PATCH succeeded. */
  inboxId?: string;
  userId?: string;
  stagingTokenUpdatedAt?: string;
}

export interface PendingAccountQuery {
  portalId: string;
  channelId: string;
  deliveryIdentifier: DeliveryIdentifier;
  adapterId?: string;
}

/**
 * The pending gateway account that a HubSpot channel account (CHANNEL_ACCOUNT_CREATED) stands
 * for: same portal, same channel, same delivery identifier, status `pending` (the newest when
 * several match). HubSpot copies the delivery identifier the popup PATCHed into the account it
 * creates, so re-reading that account gives everything needed for this lookup.
 */
export async function findPendingAccount(
  accounts: ChannelAccountRepository,
  query: PendingAccountQuery,
): Promise<ChannelAccount | undefined> {
  const pending = await accounts.list({
    portalId: query.portalId,
    status: 'pending',
    ...(query.adapterId !== undefined && { adapterId: query.adapterId }),
  });
  const matches = pending.filter(
    (account) =>
      account.hubspotChannelId === query.channelId &&
      account.deliveryIdentifier?.type === query.deliveryIdentifier.type &&
      account.deliveryIdentifier.value === query.deliveryIdentifier.value,
  );
  return matches.at(-1);
}

/** The pending account whose popup used this staging token (scans pending accounts' state). */
export async function findPendingAccountByStagingToken(
  accounts: ChannelAccountRepository,
  states: AccountStateRepository,
  accountToken: string,
): Promise<ChannelAccount | undefined> {
  for (const account of await accounts.list({ status: 'pending' })) {
    const pending = await states.get<PendingConnection>(account.id, CONNECT_STATE_KEY);
    if (pending?.accountToken === accountToken) return account;
  }
  return undefined;
}
