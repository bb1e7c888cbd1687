import type { Credentials, DeliveryIdentifier } from '../../adapter';

export type ChannelAccountStatus = 'pending' | 'active' | 'inactive' | 'deleted' | 'failed';

export const CHANNEL_ACCOUNT_STATUSES: readonly ChannelAccountStatus[] = [
  'pending',
  'active',
  'inactive',
  'deleted',
  'failed',
];

/** Per-account settings chosen by the admin (threading mode, silence hours...). */
export type AccountSettings = Record<string, unknown>;

/** A channel account; credentials are decrypted (empty once the account is deleted). */
export interface ChannelAccount {
  /** The gateway's id (UUID), used in webhook URLs. */
  id: string;
  adapterId: string;
  portalId?: string;
  hubspotChannelId?: string;
  hubspotChannelAccountId?: string;
  name: string;
  status: ChannelAccountStatus;
  /** Why the account is failed / inactive, when known. */
  statusReason?: string;
  /** Mirrors HubSpot's `authorized` flag. */
  authorized: boolean;
  credentials: Credentials;
  settings: AccountSettings;
  deliveryIdentifier?: DeliveryIdentifier;
  inboxId?: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt?: Date;
}

export interface NewChannelAccount {
  adapterId: string;
  name: string;
  credentials: Credentials;
  settings?: AccountSettings;
  /** Defaults to `pending`. */
  status?: ChannelAccountStatus;
  portalId?: string;
  hubspotChannelId?: string;
  deliveryIdentifier?: DeliveryIdentifier;
  inboxId?: string;
}

/** What HubSpot returns once the account exists there. */
export interface HubSpotAccountBinding {
  portalId: string;
  hubspotChannelId: string;
  hubspotChannelAccountId: string;
  inboxId?: string;
  authorized?: boolean;
}

export interface ChannelAccountFilter {
  adapterId?: string;
  status?: ChannelAccountStatus;
  portalId?: string;
  /** Deleted accounts are left out unless asked for (or `status: 'deleted'`). */
  includeDeleted?: boolean;
}
