import type { SimContext } from './context';
import { errors } from './errors';
import { magicFromError, magicToError, MAGIC_VALID_FROM } from './magic-numbers';
import type { Sender } from './message-pipeline';
import { isAddress } from './openapi-formats';
import { countSegments } from './segments';
import { newSid } from './sids';
import type {
  Account,
  MediaItem,
  MessageDirection,
  MessageRecord,
  MessagingService,
  PhoneNumber,
} from './types';

export interface CreateMessageParams {
  To: string;
  From?: string;
  MessagingServiceSid?: string;
  Body?: string;
  MediaUrl?: string[];
  ContentSid?: string;
  StatusCallback?: string;
  ValidityPeriod?: number;
  ScheduleType?: string;
  SendAt?: string;
}

const MAX_BODY = 1600;
const MAX_MEDIA = 10;
const DEFAULT_MPS = { local: 1, mobile: 1, 'toll-free': 3, 'short-code': 100 } as const;

interface ResolvedSender {
  from: string;
  number: PhoneNumber | null;
  mms: boolean;
  sms: boolean;
  mps: number;
}

function resolveFrom(ctx: SimContext, account: Account, from: string): ResolvedSender {
  if (ctx.options.magicNumbers) {
    const magic = magicFromError(from);
    if (magic) throw magic;
    if (from === MAGIC_VALID_FROM) return { from, number: null, mms: true, sms: true, mps: 1 };
  }
  const number = ctx.store.numberByE164(account.sid, from);
  if (!number) throw errors.notMessageCapable(from);
  return {
    from,
    number,
    mms: number.capabilities.mms,
    sms: number.capabilities.sms,
    mps: number.mps,
  };
}

function guessContentType(url: string): string {
  const ext = /\.([a-z0-9]+)(?:$|[?#])/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    pdf: 'application/pdf',
    mp4: 'video/mp4',
    vcf: 'text/vcard',
  };
  return (ext && types[ext]) || 'application/octet-stream';
}

const MIN_SCHEDULE_S = 900;
const MAX_SCHEDULE_S = 35 * 24 * 3600;

/**
 * ScheduleType=fixed + SendAt: 15 minutes to 35 days ahead (35114). Without a Messaging Service
 * Twilio drops the scheduling parameters and sends immediately (Twilio support FAQ).
 */
function scheduledTime(
  params: CreateMessageParams,
  service: MessagingService | undefined,
): Date | null {
  if (params.ScheduleType !== 'fixed') return null;
  if (!service) return null;
  const at = params.SendAt ? Date.parse(params.SendAt) : Number.NaN;
  const ahead = (at - Date.now()) / 1000;
  if (!Number.isFinite(ahead) || ahead < MIN_SCHEDULE_S || ahead > MAX_SCHEDULE_S) {
    throw errors.scheduleTimestamp();
  }
  return new Date(at);
}

function checkDestination(ctx: SimContext, to: string): void {
  if (!isAddress(to)) throw errors.invalidTo(to);
  if (ctx.options.magicNumbers) {
    const magic = magicToError(to);
    if (magic) throw magic;
  }
  const behavior = ctx.store.destinations.get(to)?.behavior;
  if (behavior === 'invalid') throw errors.invalidTo(to);
  if (behavior === 'unroutable') throw errors.unroutable(to);
  if (behavior === 'not-mobile') throw errors.notMobile(to);
}

/**
 * POST /Messages.json business rules, in Twilio's order: To/From/Service -> body/media ->
 * length (21617) -> opt-out (21610) -> sender queue (21611). Schema checks already ran.
 */
export function createOutboundMessage(
  ctx: SimContext,
  account: Account,
  params: CreateMessageParams,
  direction: MessageDirection = 'outbound-api',
  /** Twilio's own keyword confirmations reach a customer who just opted out. */
  bypassOptOut = false,
): MessageRecord {
  const to = params.To;
  checkDestination(ctx, to);
  const media = params.MediaUrl ?? [];
  let service: MessagingService | undefined;
  let sender: ResolvedSender;
  if (params.MessagingServiceSid) {
    service = ctx.store.services.get(params.MessagingServiceSid);
    if (!service || service.accountSid !== account.sid)
      throw errors.invalidServiceSid(params.MessagingServiceSid);
    const pool = service.phoneNumbers;
    if (params.From) {
      if (!pool.includes(params.From)) throw errors.notMessageCapable(params.From);
      sender = resolveFrom(ctx, account, params.From);
    } else {
      const candidates = pool.map((p) => resolveFrom(ctx, account, p)).filter((s) => s.sms);
      const pick = candidates.find((s) => media.length === 0 || s.mms) ?? candidates[0];
      if (!pick) throw errors.fromRequired();
      sender = pick;
    }
  } else {
    if (!params.From) throw errors.fromRequired();
    sender = resolveFrom(ctx, account, params.From);
  }
  if (!sender.sms) throw errors.notMessageCapable(sender.from);
  const sendAt = scheduledTime(params, service);

  const body = params.Body ?? '';
  if (body === '' && media.length === 0 && !params.ContentSid) throw errors.bodyRequired();
  if (media.length > MAX_MEDIA) throw errors.tooManyMedia();
  for (const url of media) {
    if (!URL.canParse(url)) throw errors.invalidMediaUrl();
  }
  if (media.length > 0 && !sender.mms) throw errors.notMmsCapable(sender.from);
  if (Array.from(body).length > MAX_BODY) throw errors.bodyTooLong();
  if (
    !bypassOptOut &&
    ctx.store.isOptedOut(
      [sender.from, service?.sid ?? sender.number?.messagingServiceSid ?? null],
      to,
    )
  ) {
    throw errors.unsubscribed();
  }
  if (!service && ctx.pipeline.backlogSeconds(sender.from) > ctx.options.queueLimitSeconds) {
    throw errors.queueFull();
  }

  const now = new Date();
  const isMms = media.length > 0;
  const sid = newSid(isMms ? 'MM' : 'SM');
  const segments = countSegments(body);
  const items: MediaItem[] = media.map((url) => ({
    sid: newSid('ME'),
    accountSid: account.sid,
    parentSid: sid,
    contentType: guessContentType(url),
    data: null,
    sourceUrl: url,
    dateCreated: now,
  }));
  const viaService = service !== undefined && (!params.From || sendAt !== null);
  const message: MessageRecord = {
    sid,
    accountSid: account.sid,
    messagingServiceSid: service?.sid ?? null,
    from: viaService ? null : sender.from,
    to,
    body,
    status: sendAt ? 'scheduled' : viaService ? 'accepted' : 'queued',
    direction,
    numSegments: isMms ? 1 : segments.segments,
    encoding: segments.encoding,
    media: items,
    errorCode: null,
    errorMessage: null,
    price: null,
    statusCallback: params.StatusCallback ?? null,
    validityPeriod: params.ValidityPeriod ?? 36000,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
    plannedSendAt: null,
    history: [],
  };
  message.history.push({ status: message.status, at: now, errorCode: null });
  ctx.store.messages.set(sid, message);
  const queue: Sender = { key: sender.from, mps: sender.mps };
  ctx.pipeline.start(message, queue, viaService ? sender.from : null, sendAt);
  return message;
}

export function defaultMps(type: PhoneNumber['type']): number {
  return DEFAULT_MPS[type];
}
