import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';

/** An account HubSpot takes messages for: bound to a HubSpot channel account and authorized. */
export type PublishableAccount = ChannelAccount &
  Required<Pick<ChannelAccount, 'portalId' | 'hubspotChannelId' | 'hubspotChannelAccountId'>>;

/** Why messages cannot be published for the account yet, or undefined when they can. */
export function notPublishableReason(account: ChannelAccount): string | undefined {
  if (
    account.portalId === undefined ||
    account.hubspotChannelId === undefined ||
    account.hubspotChannelAccountId === undefined
  ) {
    return 'is not bound to a HubSpot channel account yet';
  }
  if (!account.authorized) return 'is not authorized in HubSpot';
  return undefined;
}

export function isPublishable(account: ChannelAccount): account is PublishableAccount {
  return notPublishableReason(account) === undefined;
}
