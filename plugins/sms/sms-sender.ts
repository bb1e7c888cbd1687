/**
 * Sending an agent's reply as SMS: opt-out check, splitting over 1600 characters with per-part
 * idempotency keys, the per-sender rate limit and segment logging.
 */
import {
  PermanentError,
  RateLimitedError,
  type AccountContext,
  type OutboundMessage,
  type SendResult,
} from '../../src/core/adapter';
import { countSegments } from './gsm7';
import { OptOutRegistry } from './opt-out';
import { toE164 } from './phone-number';
import type { SmsProvider } from './providers/sms-provider';
import type { SegmentRateLimiter } from './rate-limiter';
import { splitText } from './text-splitter';

export const ATTACHMENTS_UNSUPPORTED =
  'SMS: attachments cannot be sent yet (Twilio MMS needs media at public URLs, which the gateway does not host)';
export const OPTED_OUT = 'recipient opted out';

export interface SmsSenderOptions {
  provider: SmsProvider;
  limiter: SegmentRateLimiter;
  messagesPerSecond: number;
}

/** Part SIDs of split messages, so that a retry after a partial failure skips sent parts. */
const partKey = (key: string) => `sent:${key}`;

export async function sendSms(
  options: SmsSenderOptions,
  account: AccountContext,
  message: OutboundMessage,
): Promise<SendResult> {
  if (message.attachments.length > 0) throw new PermanentError(ATTACHMENTS_UNSUPPORTED);
  const to = recipientOf(message);
  const optOuts = new OptOutRegistry(account.state);
  if (await optOuts.isOptedOut(to)) throw new PermanentError(OPTED_OUT, { code: '21610' });
  if (message.text.trim() === '') throw new PermanentError('SMS: the message has no text');

  const parts = splitText(message.text);
  const ids: string[] = [];
  for (const [index, body] of parts.entries()) {
    const key =
      parts.length === 1 ? message.idempotencyKey : `${message.idempotencyKey}#${index + 1}`;
    const already = parts.length > 1 ? await account.state.get<string>(partKey(key)) : undefined;
    if (already) {
      ids.push(already);
      continue;
    }
    const segments = countSegments(body);
    const sender = `${account.accountId}:${account.credentials.from ?? ''}`;
    const slot = options.limiter.take(sender, segments.segments, options.messagesPerSecond);
    if (!slot.ok) {
      throw new RateLimitedError('SMS: sender rate limit reached', slot.retryAfterMs);
    }
    const sent = await sendPart(options, account, optOuts, to, body);
    account.logger.info('sms: sent', {
      messageId: sent.messageId,
      status: sent.status,
      encoding: segments.encoding,
      segments: segments.segments,
      providerSegments: sent.segments,
      part: parts.length > 1 ? `${index + 1}/${parts.length}` : undefined,
    });
    if (parts.length > 1) await account.state.set(partKey(key), sent.messageId);
    ids.push(sent.messageId);
  }
  return { externalMessageIds: ids, pendingDeliveryStatus: true };
}

async function sendPart(
  options: SmsSenderOptions,
  account: AccountContext,
  optOuts: OptOutRegistry,
  to: string,
  body: string,
) {
  try {
    return await options.provider.send(account.credentials, {
      to,
      body,
      statusCallbackUrl: `${account.webhookUrl}/status`,
    });
  } catch (error) {
    if (error instanceof PermanentError && error.code === '21610') {
      await optOuts.markOptedOut(to, new Date().toISOString());
      throw new PermanentError(OPTED_OUT, { code: '21610', cause: error });
    }
    throw error;
  }
}

function recipientOf(message: OutboundMessage): string {
  const candidates = [message.conversation.externalId, message.recipient?.value ?? ''];
  for (const candidate of candidates) {
    const e164 = toE164(candidate);
    if (e164) return e164;
  }
  throw new PermanentError(
    `SMS: "${message.conversation.externalId}" is not a phone number in international format`,
    { code: 'invalid_recipient' },
  );
}
