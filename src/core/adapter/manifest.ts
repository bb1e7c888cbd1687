/**
 * What an adapter declares about itself. The gateway derives the HubSpot channel registration,
 * the connection popup form and the conformance checks from it, so a manifest must tell the truth:
 * the conformance kit checks that every declared capability works.
 */

/** How HubSpot identifies senders and recipients on a channel. */
export type DeliveryIdentifierType =
  'HS_EMAIL_ADDRESS' | 'HS_PHONE_NUMBER' | 'CHANNEL_SPECIFIC_OPAQUE_ID';

/** Kinds of attachment in the normalized model. */
export type AttachmentKind =
  'image' | 'audio' | 'voice' | 'video' | 'sticker' | 'file' | 'location' | 'contact';

export const DELIVERY_IDENTIFIER_TYPES: readonly DeliveryIdentifierType[] = [
  'HS_EMAIL_ADDRESS',
  'HS_PHONE_NUMBER',
  'CHANNEL_SPECIFIC_OPAQUE_ID',
];

export const ATTACHMENT_KINDS: readonly AttachmentKind[] = [
  'image',
  'audio',
  'voice',
  'video',
  'sticker',
  'file',
  'location',
  'contact',
];

/** Attachment kinds that carry bytes (as opposed to location and contact cards). */
export const BINARY_ATTACHMENT_KINDS = [
  'image',
  'audio',
  'voice',
  'video',
  'sticker',
  'file',
] as const;
export type BinaryAttachmentKind = (typeof BINARY_ATTACHMENT_KINDS)[number];

/** HubSpot rich-text features a channel can render (the channel's `richText` capability). */
export type RichTextFeature =
  'HYPERLINK' | 'BOLD' | 'ITALIC' | 'UNDERLINE' | 'BLOCKQUOTE' | 'LISTS' | 'TEXT_ALIGNMENT';

export const RICH_TEXT_FEATURES: readonly RichTextFeature[] = [
  'HYPERLINK',
  'BOLD',
  'ITALIC',
  'UNDERLINE',
  'BLOCKQUOTE',
  'LISTS',
  'TEXT_ALIGNMENT',
];

/**
 * What an adapter can send. `plain`: core converts an agent's HTML to plain text with readable
 * links. `html`: core passes a sanitized HTML subset limited to `richText` features, which the
 * adapter renders in its platform's own markup.
 */
export type OutboundFormatting = 'plain' | 'html';

/** One field of the credential form shown in the HubSpot connection popup. */
export interface CredentialField {
  /** Key in the credentials object handed to the adapter. */
  key: string;
  label: string;
  /** Shown under the field; say where the user finds the value. */
  help?: string;
  /** Masked in the form, encrypted at rest, redacted from logs. */
  secret: boolean;
  required: boolean;
  /** Optional client- and server-side check, a JavaScript regular expression source. */
  pattern?: string;
  placeholder?: string;
}

/**
 * One per-account setting an operator may set through the admin API
 * (`PATCH /admin/accounts/:id/settings`); the adapter reads it from `AccountContext.settings`.
 * The gateway checks values against this declaration before storing them.
 */
export interface AccountSettingField {
  /** Key in the account's settings. */
  key: string;
  label: string;
  /** Say what the value changes and which values make sense. */
  help?: string;
  type: 'number' | 'integer' | 'boolean' | 'string';
  /** Bounds of a `number` or `integer`, inclusive. */
  min?: number;
  max?: number;
  /** A `string` must match this JavaScript regular expression source. */
  pattern?: string;
}

export interface InboundCapabilities {
  /** Attachment kinds the adapter can receive from its platform. */
  attachments: AttachmentKind[];
  /** The adapter reports edits of earlier customer messages. */
  edits: boolean;
  /** The adapter reports which earlier message a customer replied to. */
  replies: boolean;
}

export interface OutboundCapabilities {
  formatting: OutboundFormatting;
  /** Rich-text features the adapter renders when formatting is `html`. */
  richText: RichTextFeature[];
  /** Binary attachment kinds the adapter can send. Empty: text only. */
  attachments: BinaryAttachmentKind[];
  /** Wildcards allowed (`image/*`). */
  allowedMimeTypes: string[];
  maxAttachmentCount: number;
  maxAttachmentSizeBytes: number;
  /**
   * Longest text the platform takes in one message, in Unicode code points; the adapter splits
   * longer text itself (deriving per-part idempotency keys, `key#1`, `key#2`..., so that a retry
   * after a partial failure does not send parts twice).
   */
  maxTextLength: number;
  /** The adapter sends replies to a specific customer message. */
  replies: boolean;
  /** The adapter reports read receipts (READ status). */
  readReceipts: boolean;
  /** The adapter reports delivery status asynchronously (status callbacks), not only at send. */
  asyncDeliveryStatus: boolean;
}

/**
 * Account-state keys an adapter keeps only for a while (records per message, such as delivery
 * statuses): the gateway deletes those not written for `maxAgeMs`, so the state of a busy account
 * does not grow forever. Keys that must stay (opt-outs, offsets, secrets) get no rule.
 */
export interface StateRetentionRule {
  /** Applies to the keys that start with it, e.g. `status:`. */
  keyPrefix: string;
  /** Age (since the key was last written) after which it is deleted; at least one hour. */
  maxAgeMs: number;
}

/** The shortest `maxAgeMs` a StateRetentionRule may have. */
export const MIN_STATE_RETENTION_MS = 60 * 60 * 1000;

export interface AdapterManifest {
  /** Lower-case name; also the folder name under plugins/ and the `adapters.<id>` config key. */
  id: string;
  displayName: string;
  description: string;
  /** An absolute URL or a path served by the gateway. */
  logoUrl?: string;
  version: string;
  /** The type of the delivery identifier of both the channel account and the customers. */
  deliveryIdentifierType: DeliveryIdentifierType;
  credentials: CredentialField[];
  /** Per-account settings an operator may set; none when absent. */
  accountSettings?: AccountSettingField[];
  inbound: InboundCapabilities;
  outbound: OutboundCapabilities;
  /** Account-state keys deleted after a while; every key is kept when absent. */
  stateRetention?: StateRetentionRule[];
}
