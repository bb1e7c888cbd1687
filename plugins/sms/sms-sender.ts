/**
 * Sending an agent's reply as SMS (MMS with attachments): opt-out check, the MMS checks, splitting
 * over 1600 characters with per-part idempotency keys, the per-sender rate limit and segment
 * logging.
 */
import {
  PermanentError,
  RateLimitedError,
  type AccountContext,
  type OutboundMessage,
  type SendResult,
} from '../../src/core/adapter';
import { countSegments } from './gsm7';
import { mmsMediaUrls } from './mms-attachments';
import { OptOutRegistry } from './opt-out';
import { toE164 } from './phone-number';
import type { SmsProvider } from './providers/sms-provider';
import type { SegmentRateLimiter } from './rate-limiter';
import { splitText } from './text-splitter';

export const OPTED_OUT = 'recipient opted out';

export interface SmsSenderOptions {
  provider: SmsProvider;
  limiter: SegmentRateLimiter;
  messagesPerSecond: number;
}

/**
 * Part SIDs of split messages, so that a retry after a partial failure skips sent parts. Written
 * once per part by the one attempt of the reply that is running (the outbound queue runs a reply's
 * attempts one after another), so a plain `set` loses nothing.
 */
const partKey = (key: string) => `sent:${key}`;

export async function sendSms(
  options: SmsSenderOptions,
  account: AccountContext,
  message: OutboundMessage,
): Promise<SendResult> {
  const to = recipientOf(message);
  const optOuts = new OptOutRegistry(account.state);
  if (await optOuts.isOptedOut(to)) throw new PermanentError(OPTED_OUT, { code: '21610' });
  const mediaUrls = await mmsMedia(options.provider, account, message, to);
  if (message.text.trim() === '' && mediaUrls.length === 0) {
    throw new PermanentError('SMS: the message has no text');
  }

  const parts = splitText(message.text);
  const ids: string[] = [];
  for (const [index, body] of parts.entries()) {
    // The media go with the first part: the customer sees them with the start of the text.
    const media = index === 0 ? mediaUrls : [];
    const key =
      parts.length === 1 ? message.idempotencyKey : `${message.idempotencyKey}#${index + 1}`;
    const already = parts.length > 1 ? await account.state.get<string>(partKey(key)) : undefined;
    if (already) {
      ids.push(already);
      continue;
    }
    const segments = countSegments(body);
    // Twilio counts an MMS as one message whatever its text length.
    const cost = media.length > 0 ? 1 : segments.segments;
    const sender = `${account.accountId}:${account.credentials.from ?? ''}`;
    const slot = options.limiter.take(sender, cost, options.messagesPerSecond);
    if (!slot.ok) {
      throw new RateLimitedError('SMS: sender rate limit reached', slot.retryAfterMs);
    }
    const sent = await sendPart(options, account, optOuts, { to, body, mediaUrls: media });
    account.logger.info('sms: sent', {
      messageId: sent.messageId,
      status: sent.status,
      media: media.length > 0 ? media.length : undefined,
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

/** The MMS media URLs of the reply (none without attachments); throws PermanentError. */
async function mmsMedia(
  provider: SmsProvider,
  account: AccountContext,
  message: OutboundMessage,
  to: string,
): Promise<string[]> {
  if (message.attachments.length === 0) return [];
  const urls = mmsMediaUrls(message.attachments, to);
  if ((await provider.senderMmsCapable(account.credentials)) === false) {
    throw new PermanentError(
      `attachments cannot be sent: the sender ${account.credentials.from ?? ''} has no MMS capability (enable MMS on the number in Twilio, or send the text alone)`,
      { code: '21621' },
    );
  }
  return urls;
}

async function sendPart(
  options: SmsSenderOptions,
  account: AccountContext,
  optOuts: OptOutRegistry,
  part: { to: string; body: string; mediaUrls: string[] },
) {
  const { to } = part;
  try {
    return await options.provider.send(account.credentials, {
      ...part,
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
