/**
 * The wire format of the Echo platform (snake_case JSON, like many messaging APIs). The platform,
 * its HTTP client and the mapper share these types; nothing else in the gateway sees them.
 */
import type { BinaryAttachmentKind } from '../../src/core/adapter';

export interface EchoAccountInfo {
  id: string;
  name: string;
  username: string;
}

export interface EchoChat {
  id: string;
  title?: string;
  type: 'private' | 'group';
}

export interface EchoUser {
  id: string;
  name: string;
  username?: string;
  /** E.164 (`+4915112345678`), when the customer registered with a phone number. */
  phone?: string;
  email?: string;
}

export interface EchoFileAttachment {
  kind: BinaryAttachmentKind;
  file_id: string;
  file_name: string;
  mime_type: string;
  size: number;
  /** Stickers: the emoji the sticker stands for. */
  emoji?: string;
}

export interface EchoLocationAttachment {
  kind: 'location';
  latitude: number;
  longitude: number;
  title?: string;
  address?: string;
}

export interface EchoContactAttachment {
  kind: 'contact';
  first_name: string;
  last_name?: string;
  phone_number: string;
  email?: string;
  organization?: string;
}

export type EchoAttachment = EchoFileAttachment | EchoLocationAttachment | EchoContactAttachment;

export interface EchoMessage {
  message_id: string;
  chat: EchoChat;
  from: EchoUser;
  /** Plain text (tags stripped when the message was sent as HTML). */
  text: string;
  /** The same text in Echo markup (b, i, a href, and newlines) when it had formatting. */
  html?: string;
  attachments: EchoAttachment[];
  reply_to_message_id?: string;
  /** ISO-8601. */
  date: string;
  /** ISO-8601; set on edits. */
  edit_date?: string;
}

export interface EchoReadReceipt {
  chat: EchoChat;
  /** Business messages newly read by the customer, oldest first. */
  message_ids: string[];
  date: string;
}

/** What the platform POSTs to an account's webhook, one update per request. */
export type EchoUpdate =
  | { update_id: number; account_id: string; type: 'message'; message: EchoMessage }
  | { update_id: number; account_id: string; type: 'edited_message'; message: EchoMessage }
  | { update_id: number; account_id: string; type: 'read'; read: EchoReadReceipt };

/** Body of `POST /bot/messages`. */
export interface EchoSendRequest {
  chat_id: string;
  /** Plain text; ignored when `html` is set. */
  text?: string;
  /** Echo markup: `<b>`, `<i>`, `<a href>` and newlines. */
  html?: string;
  attachments?: { kind: BinaryAttachmentKind; file_id: string }[];
  reply_to_message_id?: string;
  /** The platform answers a repeated key with the message it already created. */
  idempotency_key?: string;
  /** The simulated customer answers "Echo: <text>" (for demos). */
  auto_reply?: boolean;
}

/** Error envelope of every non-2xx answer. */
export interface EchoErrorBody {
  ok: false;
  error: EchoErrorCode;
  description: string;
  retry_after?: number;
}

export type EchoErrorCode =
  | 'invalid_token'
  | 'rate_limited'
  | 'recipient_blocked'
  | 'chat_not_found'
  | 'file_not_found'
  | 'message_not_found'
  | 'account_not_found'
  | 'bad_request'
  | 'too_large'
  | 'not_found'
  | 'server_error';

/** Fault injected for the next `POST /bot/messages` of an account. */
export type EchoFault =
  | { type: 'rate_limited'; retry_after_seconds: number }
  | { type: 'recipient_blocked'; description?: string }
  | { type: 'server_error' };

/** Limits the platform enforces (the manifest declares the same). */
export const ECHO_LIMITS = {
  /** Unicode code points of visible text per message. */
  maxTextLength: 2000,
  maxAttachmentCount: 10,
  maxFileSizeBytes: 10 * 1024 * 1024,
} as const;

export const ECHO_SIGNATURE_HEADER = 'x-echo-signature';

/** Tokens look like `echo_<8 or more letters, digits, _ or ->`. */
export const ECHO_TOKEN_PATTERN = '^echo_[A-Za-z0-9_-]{8,}$';
