import type { SimContext } from './context';
import { conflict, HubSpotError, notFound, validationError } from './errors';
import { emitAccountEvent } from './events';
import { channelFor } from './messaging';
import { SimState } from './state';
import type {
  ChannelAccount,
  DeliveryIdentifier,
  RoutingSettings,
  StagingToken,
  WebhookDelivery,
} from './types';

export const DEFAULT_ROUTING: RoutingSettings = {
  ticketProperties: {},
  assignment: { type: 'NONE' },
};

export function newAccount(
  ctx: SimContext,
  fields: {
    channelId: string;
    portalId: string;
    inboxId: string;
    name: string;
    authorized: boolean;
    deliveryIdentifier?: DeliveryIdentifier;
    routing?: Partial<RoutingSettings>;
  },
): ChannelAccount {
  const account: ChannelAccount = {
    id: ctx.state.nextId('channelAccount', 500_000_000),
    channelId: fields.channelId,
    portalId: fields.portalId,
    inboxId: fields.inboxId,
    name: fields.name,
    authorized: fields.authorized,
    active: fields.authorized,
    archived: false,
    createdAt: new Date().toISOString(),
    ...(fields.deliveryIdentifier ? { deliveryIdentifier: fields.deliveryIdentifier } : {}),
    routing: { ...DEFAULT_ROUTING, ...(fields.routing ?? {}) },
    roundRobin: 0,
  };
  ctx.state.channelAccounts.set(account.id, account);
  return account;
}

export interface ConnectStart {
  accountToken: string;
  connectUrl: string;
  redirectUrl: string;
  staging: StagingToken;
}

/**
 * Step 1-2 of the staging-token flow (spec 4.3): an admin picks the channel and an inbox in
 * HubSpot; HubSpot creates a staging token and opens channelAccountConnectionRedirectUrl with
 * accountToken, channelId and redirectUrl.
 */
export function startConnect(
  ctx: SimContext,
  channelId: string,
  input: {
    portalId: string;
    inboxId?: string;
    userId?: number;
    routing?: Partial<RoutingSettings>;
  },
): ConnectStart {
  const channel = channelFor(ctx, channelId);
  if (!channel.channelAccountConnectionRedirectUrl) {
    throw validationError(`Channel ${channelId} has no channelAccountConnectionRedirectUrl`);
  }
  const portal = ctx.state.portals.get(input.portalId);
  if (!portal) throw notFound(`Portal ${input.portalId} does not exist`);
  const inboxes = [...ctx.state.inboxes.values()].filter((i) => i.portalId === portal.id);
  const inbox = input.inboxId ? inboxes.find((i) => i.id === input.inboxId) : inboxes[0];
  if (!inbox)
    throw notFound(`Inbox ${input.inboxId ?? '(default)'} does not exist in portal ${portal.id}`);
  const staging: StagingToken = {
    accountToken: SimState.randomToken('', 16),
    channelId,
    portalId: portal.id,
    inboxId: inbox.id,
    userId: input.userId ?? ctx.state.ownersOf(portal.id)[0]?.userId ?? 1,
    createdAt: new Date().toISOString(),
    routing: input.routing,
  };
  ctx.state.stagingTokens.set(staging.accountToken, staging);
  const redirectUrl = `${ctx.baseUrl}/__sim/ui/connect/complete?accountToken=${staging.accountToken}`;
  const url = new URL(channel.channelAccountConnectionRedirectUrl);
  url.searchParams.set('accountToken', staging.accountToken);
  url.searchParams.set('channelId', channelId);
  url.searchParams.set('redirectUrl', redirectUrl);
  if (ctx.options.connectUrlIncludesPortalId) url.searchParams.set('portalId', portal.id);
  return { accountToken: staging.accountToken, connectUrl: url.toString(), redirectUrl, staging };
}

/**
 * Step 4: the browser arrives at redirectUrl. If the integration has PATCHed the staging token,
 * HubSpot creates the (authorized) channel account and sends CHANNEL_ACCOUNT_CREATED.
 */
export function completeConnect(
  ctx: SimContext,
  accountToken: string,
): { account: ChannelAccount; delivery: WebhookDelivery } {
  const staging = ctx.state.stagingTokens.get(accountToken);
  if (!staging) throw notFound(`Staging token ${accountToken} does not exist`);
  if (staging.finalizedChannelAccountId)
    throw conflict('This channel account connection was already completed');
  if (!staging.updatedAt) {
    throw new HubSpotError(
      400,
      'VALIDATION_ERROR',
      'The integration did not update the staging token (PATCH channel-account-staging-tokens) before redirecting',
    );
  }
  const account = newAccount(ctx, {
    channelId: staging.channelId,
    portalId: staging.portalId,
    inboxId: staging.inboxId,
    name: staging.accountName ?? `Account ${accountToken.slice(0, 6)}`,
    authorized: true,
    deliveryIdentifier: staging.deliveryIdentifier,
    routing: staging.routing,
  });
  staging.finalizedChannelAccountId = account.id;
  const delivery = emitAccountEvent(ctx, 'CHANNEL_ACCOUNT_CREATED', account);
  return { account, delivery };
}
