/**
 * Twilio webhook parameters -> provider-neutral inbound SMS and status updates.
 */
import { toE164 } from '../../phone-number';
import type { InboundSms, InboundSmsMedia, SmsStatusUpdate } from '../sms-provider';
import { twilioReason } from './twilio-error-codes';
import { twilioDeliveryState } from './twilio-status';
import { param, type TwilioParams } from './twilio-webhook-params';

const MAX_MEDIA = 10;

export function parseTwilioInbound(params: TwilioParams, now: Date): InboundSms | undefined {
  const messageId = param(params, 'MessageSid') ?? param(params, 'SmsMessageSid');
  const from = param(params, 'From');
  const to = param(params, 'To');
  if (!messageId || !from || !to) return undefined;
  const count = Math.min(Number(param(params, 'NumMedia') ?? '0') || 0, MAX_MEDIA);
  const media: InboundSmsMedia[] = [];
  for (let index = 0; index < count; index++) {
    const url = param(params, `MediaUrl${index}`);
    if (!url) continue;
    const contentType = param(params, `MediaContentType${index}`);
    media.push(contentType ? { url, contentType } : { url });
  }
  const inbound: InboundSms = {
    messageId,
    from: normalise(from),
    to: normalise(to),
    body: param(params, 'Body') ?? '',
    media,
    receivedAt: now.toISOString(),
  };
  const optOutType = param(params, 'OptOutType');
  if (optOutType) inbound.optOutType = optOutType;
  return inbound;
}

export function parseTwilioStatus(params: TwilioParams, now: Date): SmsStatusUpdate | undefined {
  const messageId = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  const rawStatus = param(params, 'MessageStatus') ?? param(params, 'SmsStatus');
  if (!messageId || !rawStatus) return undefined;
  const update: SmsStatusUpdate = {
    messageId,
    rawStatus,
    state: twilioDeliveryState(rawStatus),
    to: normalise(param(params, 'To') ?? ''),
    at: now.toISOString(),
  };
  const errorCode = param(params, 'ErrorCode');
  if (errorCode) update.errorCode = errorCode;
  if (update.state === 'failed') {
    update.reason = errorCode ? twilioReason(errorCode) : `message ${rawStatus}`;
  }
  return update;
}

/** E.164 when it is a phone number; channel addresses and short codes stay as they are. */
function normalise(address: string): string {
  return toE164(address) ?? address.trim();
}
