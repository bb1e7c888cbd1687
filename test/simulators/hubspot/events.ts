import { randomUUID } from 'node:crypto';
import type { SimContext } from './context';
import { presentMessage } from './presenters';
import type { ChannelAccount, Message, Thread, WebhookDelivery } from './types';

function base(
  ctx: SimContext,
  type: string,
  portalId: string,
  channelId: string,
  accountId: string,
) {
  const payload: Record<string, unknown> = {
    type,
    portalId: ctx.options.webhookPortalIdAsString ? portalId : Number(portalId),
    channelId,
  };
  if (ctx.options.webhookExtraFields) {
    payload.channelAccountId = accountId;
    payload.eventId = randomUUID();
    payload.eventTimestamp = new Date().toISOString();
  }
  return payload;
}

/** OUTGOING_CHANNEL_MESSAGE_CREATED (spec 7.2): thread ids top-level, message as an object. */
export function emitOutgoingMessage(
  ctx: SimContext,
  thread: Thread,
  message: Message,
): WebhookDelivery {
  const channel = ctx.state.channels.get(thread.channelId);
  const payload = base(
    ctx,
    'OUTGOING_CHANNEL_MESSAGE_CREATED',
    thread.portalId,
    thread.channelId,
    thread.channelAccountId,
  );
  payload.channelIntegrationThreadIds = thread.integrationThreadId
    ? [thread.integrationThreadId]
    : [];
  payload.message = presentMessage(message);
  return ctx.webhooks.send({
    eventType: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    channelId: thread.channelId,
    portalId: thread.portalId,
    url: channel?.webhookUrl,
    payload,
  });
}

/**
 * CHANNEL_ACCOUNT_CREATED / CHANNEL_ACCOUNT_UPDATED (spec 7.3). The exact payload is UNCLEAR;
 * the simulator sends type, portalId, channelId, channelAccountId and nothing the integration
 * could rely on instead of re-reading the account.
 */
export function emitAccountEvent(
  ctx: SimContext,
  type: 'CHANNEL_ACCOUNT_CREATED' | 'CHANNEL_ACCOUNT_UPDATED' | 'CHANNEL_ACCOUNT_PURGED',
  account: ChannelAccount,
): WebhookDelivery {
  const channel = ctx.state.channels.get(account.channelId);
  const payload = base(ctx, type, account.portalId, account.channelId, account.id);
  payload.channelAccountId = account.id;
  return ctx.webhooks.send({
    eventType: type,
    channelId: account.channelId,
    portalId: account.portalId,
    url: channel?.webhookUrl,
    payload,
  });
}
