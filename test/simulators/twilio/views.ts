import { messageJson } from './resources';
import type { MessageDirection, MessageRecord, MessageStatus } from './types';

/** JSON shapes of the control API. */

/** Dates become ISO strings, Buffers are not sent. */
export type Json<T> = T extends Date
  ? string
  : T extends Buffer
    ? never
    : T extends Array<infer U>
      ? Array<Json<U>>
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

export interface MessageView {
  sid: string;
  account_sid: string;
  messaging_service_sid: string | null;
  from: string | null;
  to: string;
  body: string;
  status: MessageStatus;
  direction: MessageDirection;
  num_segments: string;
  num_media: string;
  error_code: number | null;
  error_message: string | null;
  date_created: string;
  date_sent: string | null;
  encoding: 'GSM-7' | 'UCS-2';
  status_callback: string | null;
  validity_period: number;
  planned_send_at: string | null;
  history: Array<{ status: MessageStatus; at: string; error_code: number | null }>;
  media: Array<{
    sid: string;
    content_type: string;
    size: number | null;
    source_url: string | null;
    fetch_error: string | null;
  }>;
  [field: string]: unknown;
}

/** JSON view of a recorded message (Twilio's resource fields + simulator extras; media summarised). */
export function messageView(m: MessageRecord): MessageView {
  const resource = messageJson(m);
  return {
    ...resource,
    sid: m.sid,
    account_sid: m.accountSid,
    messaging_service_sid: m.messagingServiceSid,
    from: m.from,
    to: m.to,
    body: m.body,
    status: m.status,
    direction: m.direction,
    num_segments: String(resource.num_segments),
    num_media: String(m.media.length),
    error_code: m.errorCode,
    error_message: m.errorMessage,
    date_created: String(resource.date_created),
    date_sent: m.dateSent ? String(resource.date_sent) : null,
    encoding: m.encoding,
    status_callback: m.statusCallback,
    validity_period: m.validityPeriod,
    planned_send_at: m.plannedSendAt?.toISOString() ?? null,
    history: m.history.map((h) => ({
      status: h.status,
      at: h.at.toISOString(),
      error_code: h.errorCode,
    })),
    media: m.media.map((item) => ({
      sid: item.sid,
      content_type: item.contentType,
      size: item.data?.length ?? null,
      source_url: item.sourceUrl,
      fetch_error: item.fetchError ?? null,
    })),
  };
}
