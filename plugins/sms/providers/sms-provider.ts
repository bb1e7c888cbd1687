/**
 * What the SMS adapter needs from an SMS provider (Twilio now; Vonage, SMPP later). A provider
 * speaks its platform's API and webhook format and maps them to these provider-neutral shapes;
 * the adapter keeps everything else (opt-out, rate limits, splitting, events).
 */
import type { Readable } from 'node:stream';
import type { AdapterWebhookRequest, Credentials } from '../../../src/core/adapter';

/** The sender an account sends from, as validated. */
export interface SmsSenderInfo {
  /** The sender's E.164 number (for a service: the first number of its pool). */
  phoneNumber: string;
  /** Shown as the channel account name. */
  displayName: string;
}

export interface SmsSendRequest {
  /** Customer, E.164. */
  to: string;
  body: string;
  /** Public URLs the provider fetches and sends as MMS media (none: an SMS). */
  mediaUrls?: string[];
  /** Where the provider posts delivery status for this message. */
  statusCallbackUrl: string;
}

export interface SmsSendResult {
  messageId: string;
  status: string;
  segments?: number;
}

export interface InboundSmsMedia {
  url: string;
  contentType?: string;
}

export interface InboundSms {
  messageId: string;
  /** Customer, E.164 (or the raw value when it is not a phone number, e.g. a short code). */
  from: string;
  /** Our number, E.164. */
  to: string;
  body: string;
  media: InboundSmsMedia[];
  /** Provider-recognised keyword (Twilio Advanced Opt-Out `OptOutType`). */
  optOutType?: string;
  receivedAt: string;
}

/** Provider-neutral delivery states (rank order: accepted < sent < delivered/failed < read). */
export type SmsDeliveryState = 'accepted' | 'sent' | 'delivered' | 'failed' | 'read' | 'other';

export interface SmsStatusUpdate {
  messageId: string;
  /** The provider's own status word (`queued`, `undelivered`...). */
  rawStatus: string;
  state: SmsDeliveryState;
  /** Customer, E.164. */
  to: string;
  errorCode?: string;
  /** Readable reason for failed. */
  reason?: string;
  at: string;
}

export interface OpenedMedia {
  stream: Readable;
  mimeType?: string;
  sizeBytes?: number;
}

/** A webhook response in the provider's expected format. */
export interface ProviderWebhookAck {
  status: number;
  body: string;
  contentType: string;
}

export interface SmsProvider {
  readonly name: string;
  /** Checks the credentials and the sender; throws InvalidCredentialsError. */
  validate(credentials: Credentials): Promise<SmsSenderInfo>;
  /** Points the sender's inbound webhook at `inboundUrl`, when the provider allows it. */
  configureInbound(credentials: Credentials, inboundUrl: string): Promise<'configured' | 'manual'>;
  /** Sends one message; throws RetryableError / RateLimitedError / PermanentError. */
  send(credentials: Credentials, request: SmsSendRequest): Promise<SmsSendResult>;
  /**
   * Whether the sender can send MMS: false when the provider says it cannot, undefined when that
   * is not known beforehand (a sender pool picks its number per message).
   */
  senderMmsCapable(credentials: Credentials): Promise<boolean | undefined>;
  /** True when the webhook request carries the provider's valid signature for these credentials. */
  verifySignature(credentials: Credentials, request: AdapterWebhookRequest): boolean;
  parseInbound(request: AdapterWebhookRequest): InboundSms | undefined;
  parseStatus(request: AdapterWebhookRequest): SmsStatusUpdate | undefined;
  /** The acknowledgement of a handled webhook. */
  webhookAck(): ProviderWebhookAck;
  /**
   * The provider's own creation time of a message (ISO-8601): webhooks carry none, and a
   * redelivered webhook must give the same event. Undefined when it cannot be fetched.
   */
  messageTime(credentials: Credentials, messageId: string): Promise<string | undefined>;
  /** Opens inbound media by the ref the adapter emitted; throws PermanentError when unknown. */
  fetchMedia(credentials: Credentials, ref: string): Promise<OpenedMedia>;
}
