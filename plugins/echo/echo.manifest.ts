import type { AdapterManifest } from '../../src/core/adapter';
import { ECHO_LIMITS, ECHO_TOKEN_PATTERN } from './echo-platform.types';

export const echoManifest: AdapterManifest = {
  id: 'echo',
  displayName: 'Echo',
  description:
    'A loopback messenger that lives in memory: for demos, tests and trying the gateway out.',
  version: '1.0.0',
  deliveryIdentifierType: 'CHANNEL_SPECIFIC_OPAQUE_ID',
  credentials: [
    {
      key: 'token',
      label: 'Echo token',
      secret: true,
      required: true,
      pattern: ECHO_TOKEN_PATTERN,
      placeholder: 'echo_0123456789abcdef',
      help: 'The token of an Echo account: POST /control/accounts on the Echo platform creates one; the in-process platform accepts any token that starts with "echo_".',
    },
  ],
  inbound: {
    attachments: ['image', 'audio', 'voice', 'video', 'sticker', 'file', 'location', 'contact'],
    edits: true,
    replies: true,
  },
  outbound: {
    formatting: 'html',
    richText: ['HYPERLINK', 'BOLD', 'ITALIC'],
    attachments: ['image', 'audio', 'voice', 'video', 'sticker', 'file'],
    allowedMimeTypes: ['*/*'],
    maxAttachmentCount: ECHO_LIMITS.maxAttachmentCount,
    maxAttachmentSizeBytes: ECHO_LIMITS.maxFileSizeBytes,
    maxTextLength: ECHO_LIMITS.maxTextLength,
    replies: true,
    readReceipts: true,
    asyncDeliveryStatus: false,
  },
};
