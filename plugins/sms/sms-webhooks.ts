/**
 * What the adapter does with a verified provider webhook: inbound SMS/MMS (opt-out keywords
 * recorded, the message emitted) and status callbacks (monotonic, one event per gateway status).
 */
import type { AccountContext, AdapterWebhookRequest } from '../../src/core/adapter';
import {
  claimStatus,
  recordedStatus,
  releaseStatus,
  type GatewayStatus,
  type StatusRecord,
} from './delivery-status-record';
import { classifyKeyword, OptOutRegistry } from './opt-out';
import type { SmsProvider } from './providers/sms-provider';
import {
  gatewayStatusOf,
  mapInboundSms,
  mapReadReceipt,
  mapReassertedStatus,
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

export async function handleStatusWebhook(
  provider: SmsProvider,
  account: AccountContext,
  request: AdapterWebhookRequest,
): Promise<WebhookOutcome> {
  const update = provider.parseStatus(request);
  if (!update) return 'malformed';
  const status = gatewayStatusOf(update);
  if (!status) return 'ignored';
  const event = mapStatus(provider.name, update, status);
  const record: StatusRecord = { status, at: event.timestamp };
  if (event.reason !== undefined) record.reason = event.reason;
  // Claimed before emitting: of several processes handling callbacks of this message at once,
  // one emits each status, and a lower one arriving after a higher one is never emitted.
  const claim = await claimStatus(account.state, update.messageId, record);
  if (!claim) return 'ignored';
  try {
    await account.emit(event);
    if (status === 'READ') await account.emit(mapReadReceipt(provider.name, update));
  } catch (error) {
    // Not stored: a redelivered callback may try again. The emit's error is the one to report.
    await releaseStatus(account.state, update.messageId, status, claim.previous).catch(
      (releaseError: unknown) =>
        account.logger.warn('sms: status claim not released', {
          messageId: update.messageId,
          error: String(releaseError),
        }),
    );
    throw error;
  }
  if (status === 'FAILED') {
    account.logger.warn('sms: delivery failed', {
      messageId: update.messageId,
      status: update.rawStatus,
      errorCode: update.errorCode,
      reason: update.reason,
    });
  }
  await reassertHigherStatus(provider, account, update.messageId, status, update.at);
  return 'handled';
}

/**
 * Another process may have claimed a higher status while this one emitted, and stored its event
 * first: the gateway would then apply ours last and move the message back (a late SENT undoes
 * FAILED). Emitting the higher status again after ours, under its own event id, keeps the last
 * word with the highest status; when the order was right it only repeats it.
 */
async function reassertHigherStatus(
  provider: SmsProvider,
  account: AccountContext,
  messageId: string,
  emitted: GatewayStatus,
  at: string,
): Promise<void> {
  const reached = await recordedStatus(account.state, messageId);
  if (!reached || STATUS_RANK[reached.status] <= STATUS_RANK[emitted]) return;
  await account.emit(mapReassertedStatus(provider.name, messageId, reached, emitted, at));
}
