import type { SimContext } from './context';
import { errors, TwilioApiError } from './errors';
import { createOutboundMessage } from './message-create';
import { classifyKeyword, DEFAULT_REPLIES } from './opt-out';
import { mediaContentPath } from './resources';
import { countSegments } from './segments';
import { newSid } from './sids';
import { twimlMessages } from './twiml';
import type { Account, MediaItem, MessageRecord, PhoneNumber, WebhookDelivery } from './types';

export interface InboundMedia {
  contentType: string;
  /** Bytes as base64 (control API) or a Buffer (programmatic). */
  base64?: string;
  data?: Buffer;
}

export interface InboundGeo {
  FromCity?: string;
  FromState?: string;
  FromZip?: string;
  FromCountry?: string;
  ToCity?: string;
  ToState?: string;
  ToZip?: string;
  ToCountry?: string;
}

export interface InjectInboundInput {
  /** Customer's number (E.164). */
  from: string;
  /** Gateway's Twilio number (must exist in the simulator). */
  to: string;
  body?: string;
  media?: InboundMedia[];
  geo?: InboundGeo;
  /** Extra webhook parameters (Twilio may add parameters at any time). */
  extraParams?: Record<string, string>;
  /** Signed URL override (default: the number's SmsUrl or its service's inbound URL). */
  url?: string;
  /** Deliver to this URL while signing `url` (reverse proxy model); proxy routes apply otherwise. */
  deliverTo?: string;
}

export interface InboundResult {
  message: MessageRecord;
  delivery: WebhookDelivery | null;
  /** Request to the number's SmsFallbackUrl after the primary failed (with ErrorCode, ErrorUrl). */
  fallbackDelivery: WebhookDelivery | null;
  /** Messages the simulator sent back: keyword auto-replies and TwiML <Message> replies. */
  replies: MessageRecord[];
}

function mediaItems(
  ctx: SimContext,
  account: Account,
  sid: string,
  media: InboundMedia[],
): MediaItem[] {
  return media.map((m) => ({
    sid: newSid('ME'),
    accountSid: account.sid,
    parentSid: sid,
    contentType: m.contentType,
    data: m.data ?? Buffer.from(m.base64 ?? '', 'base64'),
    sourceUrl: null,
    dateCreated: new Date(),
  }));
}

function reply(
  ctx: SimContext,
  account: Account,
  number: PhoneNumber,
  to: string,
  body: string,
  keywordConfirmation: boolean,
): MessageRecord | null {
  try {
    return createOutboundMessage(
      ctx,
      account,
      { To: to, From: number.phoneNumber, Body: body },
      'outbound-reply',
      keywordConfirmation,
    );
  } catch (err) {
    if (err instanceof TwilioApiError) return null;
    throw err;
  }
}

/** A customer's phone texts a gateway number: Twilio's inbound processing and signed webhook. */
export async function injectInbound(
  ctx: SimContext,
  input: InjectInboundInput,
): Promise<InboundResult> {
  const number = ctx.store.numbers.get(input.to);
  if (!number) throw errors.notFound(`phone number ${input.to}`);
  const account = ctx.store.accounts.get(number.accountSid);
  if (!account) throw errors.notFound(`account ${number.accountSid}`);
  const service = number.messagingServiceSid
    ? ctx.store.services.get(number.messagingServiceSid)
    : undefined;
  const body = input.body ?? '';
  const media = input.media ?? [];
  const sid = newSid(media.length ? 'MM' : 'SM');
  const now = new Date();
  const segments = countSegments(body);
  const message: MessageRecord = {
    sid,
    accountSid: account.sid,
    messagingServiceSid: service?.sid ?? null,
    from: input.from,
    to: input.to,
    body,
    status: 'received',
    direction: 'inbound',
    numSegments: segments.segments,
    encoding: segments.encoding,
    media: mediaItems(ctx, account, sid, media),
    errorCode: null,
    errorMessage: null,
    price: null,
    statusCallback: null,
    validityPeriod: 36000,
    dateCreated: now,
    dateUpdated: now,
    dateSent: now,
    plannedSendAt: null,
    history: [{ status: 'received', at: now, errorCode: null }],
  };
  ctx.store.messages.set(sid, message);

  const keyword = classifyKeyword(body);
  const scope = service?.sid ?? number.phoneNumber;
  if (keyword === 'STOP') {
    ctx.store.optOuts.set(ctx.store.optOutKey(scope, input.from), {
      sender: scope,
      customer: input.from,
      keyword: body.trim().toUpperCase(),
      at: now,
    });
  } else if (keyword === 'START') {
    ctx.store.optOuts.delete(ctx.store.optOutKey(scope, input.from));
  }
  const replies: MessageRecord[] = [];
  if (keyword && ctx.options.keywordReplies) {
    const sent = reply(ctx, account, number, input.from, DEFAULT_REPLIES[keyword], true);
    if (sent) replies.push(sent);
  }

  const params: Record<string, string> = {
    ToCountry: '',
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: body,
    FromCountry: '',
    To: input.to,
    ToZip: '',
    NumSegments: String(segments.segments),
    MessageSid: sid,
    AccountSid: account.sid,
    From: input.from,
    ApiVersion: '2010-04-01',
    ...input.geo,
  };
  if (service) params.MessagingServiceSid = service.sid;
  message.media.forEach((item, i) => {
    params[`MediaContentType${i}`] = item.contentType;
    params[`MediaUrl${i}`] = ctx.publicBaseUrl() + mediaContentPath(item);
  });
  if (keyword && ctx.options.advancedOptOut) params.OptOutType = keyword;
  Object.assign(params, input.extraParams);

  const url = input.url ?? service?.inboundRequestUrl ?? number.smsUrl;
  if (!url) return { message, delivery: null, fallbackDelivery: null, replies };
  const delivery = await ctx.webhooks.send({
    kind: 'inbound',
    messageSid: sid,
    url,
    method: service?.inboundRequestUrl ? 'POST' : number.smsMethod,
    params,
    authToken: account.authToken,
    idempotencyToken: `${sid}-inbound`,
    deliverTo: input.deliverTo,
  });
  let fallbackDelivery: WebhookDelivery | null = null;
  if (
    delivery?.errorCode === 11200 &&
    number.smsFallbackUrl &&
    !input.url &&
    !service?.inboundRequestUrl
  ) {
    fallbackDelivery = await ctx.webhooks.send({
      kind: 'inbound',
      messageSid: sid,
      url: number.smsFallbackUrl,
      method: number.smsFallbackMethod,
      params: { ...params, ErrorCode: '11200', ErrorUrl: url },
      authToken: account.authToken,
      idempotencyToken: `${sid}-inbound-fallback`,
    });
  }
  const answered = fallbackDelivery ?? delivery;
  if (answered?.responseBody && answered.errorCode === null) {
    for (const text of twimlMessages(answered.responseBody)) {
      const sent = reply(ctx, account, number, input.from, text, false);
      if (sent) replies.push(sent);
    }
  }
  return { message, delivery, fallbackDelivery, replies };
}
