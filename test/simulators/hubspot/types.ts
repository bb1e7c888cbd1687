/** Shared record types of the HubSpot simulator's in-memory state. */

export type DeliveryIdentifierType =
  'HS_EMAIL_ADDRESS' | 'HS_PHONE_NUMBER' | 'HS_SHORT_CODE' | 'CHANNEL_SPECIFIC_OPAQUE_ID';

export interface DeliveryIdentifier {
  type: DeliveryIdentifierType;
  value: string;
}

export type InboxType = 'INBOX' | 'HELP_DESK';

export interface Inbox {
  id: string;
  portalId: string;
  name: string;
  type: InboxType;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface Owner {
  id: string;
  portalId: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  teamIds: string[];
  archived: boolean;
  createdAt: string;
}

export interface Team {
  id: string;
  portalId: string;
  name: string;
}

export interface Portal {
  id: string;
  hubDomain: string;
  createdAt: string;
  installed: boolean;
}

export interface Contact {
  id: string;
  portalId: string;
  email?: string;
  phone?: string;
  mobilephone?: string;
  firstname?: string;
  lastname?: string;
  ownerId?: string;
  createdAt: string;
}

export interface AuthorizationCode {
  code: string;
  portalId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: number;
  expiresAt: number;
  used: boolean;
}

export interface AccessToken {
  token: string;
  portalId: string;
  scopes: string[];
  userId: number;
  expiresAt: number;
  refreshToken: string;
}

export interface RefreshToken {
  token: string;
  portalId: string;
  scopes: string[];
  userId: number;
  revoked: boolean;
}

export type Capabilities = Record<string, unknown>;

export interface Channel {
  id: string;
  name: string;
  webhookUrl?: string;
  channelAccountConnectionRedirectUrl?: string;
  channelDescription?: string;
  channelLogoUrl?: string;
  capabilities: Capabilities;
  createdAt: string;
  archived: boolean;
}

export type AssignmentRule =
  | { type: 'NONE' }
  | { type: 'USERS_AND_TEAMS'; userIds?: number[]; teamIds?: string[] }
  | { type: 'CONTACT_OWNER' };

export interface RoutingSettings {
  /** Properties applied to every ticket created for a new thread of this account. */
  ticketProperties: Record<string, string>;
  assignment: AssignmentRule;
}

export interface ChannelAccount {
  id: string;
  channelId: string;
  portalId: string;
  inboxId: string;
  name: string;
  authorized: boolean;
  active: boolean;
  archived: boolean;
  archivedAt?: string;
  createdAt: string;
  deliveryIdentifier?: DeliveryIdentifier;
  routing: RoutingSettings;
  /** Round-robin cursor for USERS_AND_TEAMS assignment. */
  roundRobin: number;
}

export interface StagingToken {
  accountToken: string;
  channelId: string;
  portalId: string;
  inboxId: string;
  userId: number;
  createdAt: string;
  accountName?: string;
  deliveryIdentifier?: DeliveryIdentifier;
  updatedAt?: string;
  finalizedChannelAccountId?: string;
  routing?: Partial<RoutingSettings>;
}

export type ThreadStatus = 'OPEN' | 'CLOSED';

export interface Thread {
  id: string;
  portalId: string;
  inboxId: string;
  channelId: string;
  channelAccountId: string;
  status: ThreadStatus;
  spam: boolean;
  archived: boolean;
  associatedContactId: string;
  contactId?: string;
  assignedTo?: string;
  integrationThreadId?: string;
  customerIdentifier: DeliveryIdentifier;
  customerName?: string;
  ticketId?: string;
  createdAt: string;
  closedAt?: string;
  latestMessageTimestamp?: string;
  latestMessageSentTimestamp?: string;
  latestMessageReceivedTimestamp?: string;
}

export type MessageStatusType = 'SENT' | 'FAILED' | 'READ' | 'RECEIVED';

export interface MessageStatus {
  statusType: MessageStatusType;
  failureDetails?: { errorMessage?: string; errorMessageTokens: Record<string, string> };
}

export interface Participant {
  actorId?: string;
  name?: string;
  deliveryIdentifier?: DeliveryIdentifier;
}

export interface Message {
  id: string;
  type: 'MESSAGE';
  portalId: string;
  conversationsThreadId: string;
  channelId: string;
  channelAccountId: string;
  direction: 'INCOMING' | 'OUTGOING';
  text: string;
  richText?: string;
  senders: Participant[];
  recipients: Participant[];
  attachments: Record<string, unknown>[];
  createdAt: string;
  updatedAt?: string;
  createdBy: string;
  client: {
    clientType: 'HUBSPOT' | 'INTEGRATION' | 'SYSTEM' | 'UNKNOWN';
    integrationAppId?: number;
  };
  truncationStatus: 'NOT_TRUNCATED';
  inReplyToId?: string;
  archived: boolean;
  status?: MessageStatus;
  /** Every status the message went through (simulator-only, for tests). */
  statusHistory: { at: string; status: MessageStatus }[];
  integrationIdempotencyId?: string;
  /** Who created it: published by the integration, or written by an agent in HubSpot. */
  origin: 'INTEGRATION' | 'AGENT';
}

export interface StoredFile {
  id: string;
  portalId: string;
  name: string;
  extension: string;
  contentType: string;
  size: number;
  md5: string;
  access: string;
  path: string;
  parentFolderId: string;
  diskPath: string;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface Ticket {
  id: string;
  portalId: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface Association {
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
  typeIds: { category: string; typeId: number }[];
  portalId: string;
}

export interface WebhookAttempt {
  attempt: number;
  at: string;
  status?: number;
  error?: string;
  responseBody?: string;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  eventType: string;
  channelId: string;
  portalId: string;
  url: string;
  body: string;
  attempts: WebhookAttempt[];
  state: 'PENDING' | 'DELIVERED' | 'FAILED' | 'GAVE_UP' | 'REFUSED';
  nextAttemptAt?: string;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  portalId?: string;
  correlationId?: string;
  body?: unknown;
  fault?: string;
}
