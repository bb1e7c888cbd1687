import type { AdapterManifest } from '../../src/core/adapter';
import { MMS_MAX_IMAGE_BYTES, MMS_MAX_MEDIA, MMS_MIME_TYPES } from './mms-limits';
import {
  ACCOUNT_RATE_SETTING,
  MAX_MESSAGES_PER_SECOND,
  MIN_MESSAGES_PER_SECOND,
} from './sms.settings';
import { TWILIO_MAX_BODY } from './text-splitter';

export const ACCOUNT_SID_PATTERN = '^AC[0-9a-fA-F]{32}$';
/** An E.164 number as typed (spaces, dashes, brackets allowed) or a Messaging Service SID. */
export const FROM_PATTERN = '^(MG[0-9a-fA-F]{32}|\\s*(\\+|00)[0-9 ().\\-/]{6,24})$';

/** How long per-message records stay in an account's state. */
export const SMS_RECORD_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export const smsManifest: AdapterManifest = {
  id: 'sms',
  displayName: 'SMS',
  description:
    'SMS and MMS through Twilio Programmable Messaging: customers text a Twilio number, agents answer from HubSpot.',
  version: '0.1.0',
  deliveryIdentifierType: 'HS_PHONE_NUMBER',
  credentials: [
    {
      key: 'accountSid',
      label: 'Twilio Account SID',
      secret: false,
      required: true,
      pattern: ACCOUNT_SID_PATTERN,
      placeholder: 'AC0123456789abcdef0123456789abcdef',
      help: 'Twilio Console > Account Info: the Account SID (starts with AC).',
    },
    {
      key: 'authToken',
      label: 'Twilio Auth Token',
      secret: true,
      required: true,
      help: 'Twilio Console > Account Info: the Auth Token. It also verifies Twilio webhook signatures.',
    },
    {
      key: 'from',
      label: 'Sender: phone number or Messaging Service SID',
      secret: false,
      required: true,
      pattern: FROM_PATTERN,
      placeholder: '+15017122661',
      help: 'A number of this Twilio account in international format (Phone Numbers > Active numbers), or a Messaging Service SID (starts with MG).',
    },
  ],
  accountSettings: [
    {
      key: ACCOUNT_RATE_SETTING,
      label: 'Segments per second of this sender',
      type: 'number',
      min: MIN_MESSAGES_PER_SECOND,
      max: MAX_MESSAGES_PER_SECOND,
      help: "Replaces the plugin's messagesPerSecond for this account's number: long code 1, toll-free ~3, short code 100+, 10DLC per campaign (ask Twilio / the carrier).",
    },
  ],
  inbound: {
    attachments: ['image', 'audio', 'video', 'file'],
    edits: false,
    replies: false,
  },
  outbound: {
    formatting: 'plain',
    richText: [],
    // MMS: Twilio fetches each attachment's public URL. The 500 KB limit of non-images and the
    // 5 MB total cannot be declared here; the sender enforces them (mms-attachments.ts).
    // A voice recording goes out as an audio clip.
    attachments: ['image', 'audio', 'voice', 'video', 'file'],
    allowedMimeTypes: [...MMS_MIME_TYPES],
    maxAttachmentCount: MMS_MAX_MEDIA,
    maxAttachmentSizeBytes: MMS_MAX_IMAGE_BYTES,
    maxTextLength: TWILIO_MAX_BODY,
    replies: false,
    readReceipts: true,
    asyncDeliveryStatus: true,
  },
  // One record per sent message (`status:<sid>`, the highest delivery status reported) and per
  // part of a split one (`sent:<key>#<n>`): Twilio's status callbacks and the outbound retries
  // (even of a dead letter replayed by hand) are long over after 30 days. `optout:` records stay.
  stateRetention: [
    { keyPrefix: 'status:', maxAgeMs: SMS_RECORD_RETENTION_MS },
    { keyPrefix: 'sent:', maxAgeMs: SMS_RECORD_RETENTION_MS },
  ],
};
