/** Domain types shared by the Twilio simulator's modules. */

export type MessageStatus =
  | 'accepted'
  | 'scheduled'
  | 'canceled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'read'
  | 'receiving'
  | 'received';

export type MessageDirection = 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';

export interface Capabilities {
  sms: boolean;
  mms: boolean;
  voice: boolean;
  fax: boolean;
}

export interface ApiKey {
  sid: string;
  secret: string;
}

export interface Account {
  sid: string;
  authToken: string;
  friendlyName: string;
  apiKeys: ApiKey[];
  dateCreated: Date;
}

export type NumberType = 'local' | 'mobile' | 'toll-free' | 'short-code';

export interface PhoneNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  capabilities: Capabilities;
  type: NumberType;
  /** Webhook for inbound messages, as configured on the number (the URL Twilio signs). */
  smsUrl: string | null;
  smsMethod: 'GET' | 'POST';
  /** Tried when the SmsUrl request fails (non-2xx, timeout, connection error). */
  smsFallbackUrl: string | null;
  smsFallbackMethod: 'GET' | 'POST';
  /** Sending rate in segments per second; defaults by number type (long code 1, toll-free 3, short code 100). */
  mps: number;
  messagingServiceSid: string | null;
  dateCreated: Date;
}

export interface MessagingService {
  sid: string;
  accountSid: string;
  friendlyName: string;
  /** Sender pool (E.164 numbers of this account). */
  phoneNumbers: string[];
  statusCallback: string | null;
  /** When set, inbound messages to pool numbers are delivered here instead of the number's SmsUrl. */
  inboundRequestUrl: string | null;
  dateCreated: Date;
}

export interface StatusChange {
  status: MessageStatus;
  at: Date;
  errorCode: number | null;
}

export interface MediaItem {
  sid: string;
  accountSid: string;
  parentSid: string;
  contentType: string;
  /** Bytes held by the simulator (inbound media, uploads); null for outbound MediaUrl references. */
  data: Buffer | null;
  /** For outbound media: the MediaUrl the application supplied. */
  sourceUrl: string | null;
  /** For outbound media: why fetching the MediaUrl failed, when it did. */
  fetchError?: string;
  dateCreated: Date;
}

export interface MessageRecord {
  sid: string;
  accountSid: string;
  messagingServiceSid: string | null;
  from: string | null;
  to: string;
  body: string;
  status: MessageStatus;
  direction: MessageDirection;
  numSegments: number;
  encoding: 'GSM-7' | 'UCS-2';
  media: MediaItem[];
  errorCode: number | null;
  errorMessage: string | null;
  price: string | null;
  statusCallback: string | null;
  validityPeriod: number;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
  /** Planned hand-off to the carrier, from the sender's rate queue (null until queued). */
  plannedSendAt: Date | null;
  history: StatusChange[];
}

export type DestinationBehavior =
  | 'deliver'
  | 'read'
  | 'no-dlr'
  | 'unreachable'
  | 'unknown'
  | 'landline'
  | 'blocked'
  | 'no-mms'
  | 'failed'
  | 'invalid'
  | 'unroutable'
  | 'not-mobile';

export interface DestinationRule {
  number: string;
  behavior: DestinationBehavior;
  /** Overrides the behaviour's default error code. */
  errorCode?: number;
}

export interface ProxyRoute {
  /** Prefix of the URL as configured at Twilio (what gets signed), e.g. https://gw.example.com/twilio */
  publicBaseUrl: string;
  /** Where the simulator really delivers, e.g. http://127.0.0.1:3000 */
  targetBaseUrl: string;
}

export interface WebhookDelivery {
  id: number;
  kind: 'status-callback' | 'inbound';
  messageSid: string;
  /** URL that was signed (as configured at Twilio). */
  url: string;
  /** URL the request was actually sent to (differs when a proxy route applies). */
  deliveredUrl: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  headers: Record<string, string>;
  signature: string;
  sentAt: Date;
  responseStatus: number | null;
  responseBody: string | null;
  responseContentType: string | null;
  durationMs: number | null;
  /** Twilio debugger code when the delivery failed (11200 HTTP retrieval failure, 12300 invalid content type). */
  errorCode: number | null;
  error: string | null;
}

export interface RequestLogEntry {
  id: number;
  at: Date;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  contentType: string | null;
  authUser: string | null;
  userAgent: string | null;
  status: number | null;
  errorCode: number | null;
  fault: string | null;
}

export interface OptOutRecord {
  /** The Twilio number or Messaging Service SID the customer opted out of. */
  sender: string;
  customer: string;
  keyword: string;
  at: Date;
}
