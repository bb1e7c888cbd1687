/**
 * What the adapter does with a verified provider webhook: inbound SMS/MMS (opt-out keywords
 * recorded, the message emitted) and status callbacks (monotonic, one event per gateway status).
 */
import type {
  AccountContext,
  AdapterWebhookRequest,
  DeliveryStatusEvent,
} from '../../src/core/adapter';
import { classifyKeyword, OptOutRegistry } from './opt-out';
import type { SmsProvider } from './providers/sms-provider';
import {
  gatewayStatusOf,
  mapInboundSms,
  mapReadReceipt,
  mapStatus,
  STATUS_RANK,
} from './sms.mapper';

export type WebhookOutcome = 'handled' | 'ignored' | 'malformed';

export async function handleInboundWebhook(
  provider: SmsProvider,
  account: AccountContext,
  request: AdapterWebhookRequest,
): Promise<WebhookOutcome> {
  const sms = provider.parseInbound(request);
  if (!sms) return 'malformed';
  const createdAt = await provider.messageTime(account.credentials, sms.messageId);
  if (createdAt) sms.receivedAt = createdAt;
  else account.logger.warn('sms: message time unknown, using now', { messageId: sms.messageId });
  const keyword = classifyKeyword(sms.body, sms.optOutType);
  if (keyword) {
    await new OptOutRegistry(account.state).apply(sms.from, keyword, sms.body, sms.receivedAt);
    account.logger.info('sms: keyword received', { keyword, customer: sms.from });
  }
  await account.emit(mapInboundSms(provider.name, sms));
  return 'handled';
}

const rankKey = (messageId: string) => `status:${messageId}`;

export async function handleStatusWebhook(
  provider: SmsProvider,
  account: AccountContext,
  request: AdapterWebhookRequest,
): Promise<WebhookOutcome> {
  const update = provider.parseStatus(request);
  if (!update) return 'malformed';
  const status = gatewayStatusOf(update);
  if (!status) return 'ignored';
  const reached =
    (await account.state.get<DeliveryStatusEvent['status']>(rankKey(update.messageId))) ??
    undefined;
  if (reached && STATUS_RANK[reached] >= STATUS_RANK[status]) return 'ignored';
  await account.emit(mapStatus(provider.name, update, status));
  if (status === 'READ') await account.emit(mapReadReceipt(provider.name, update));
  if (status === 'FAILED') {
    account.logger.warn('sms: delivery failed', {
      messageId: update.messageId,
      status: update.rawStatus,
      errorCode: update.errorCode,
      reason: update.reason,
    });
  }
  await account.state.set(rankKey(update.messageId), status);
  return 'handled';
}
