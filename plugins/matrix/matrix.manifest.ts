import type { AdapterManifest } from '../../src/core/adapter';

/** Longest text per event: events are capped at 64 KiB, body + formatted_body share it. */
export const MATRIX_MAX_TEXT_LENGTH = 16_000;
export const MATRIX_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export const matrixManifest: AdapterManifest = {
  id: 'matrix',
  displayName: 'Matrix',
  description:
    'Matrix rooms (Element and other clients) through a bot account on any homeserver, or an application service registered on your own: customers invite or DM the bot.',
  version: '0.1.0',
  deliveryIdentifierType: 'CHANNEL_SPECIFIC_OPAQUE_ID',
  credentials: [
    {
      key: 'homeserverUrl',
      label: 'Homeserver URL',
      secret: false,
      required: true,
      pattern: '^https?://\\S+$',
      placeholder: 'https://matrix.example.org',
      help: 'The client-server API base URL of the homeserver (what Element shows as "Homeserver").',
    },
    {
      key: 'accessToken',
      label: 'Access token',
      secret: true,
      required: false,
      placeholder: 'syt_…',
      help: "The bot account's access token (Element: Settings → Help & About → Access token). Leave empty to log in with user id and password instead.",
    },
    {
      key: 'userId',
      label: 'Bot user id (only for password login)',
      secret: false,
      required: false,
      pattern: '^@[^:\\s]+:\\S+$',
      placeholder: '@support:example.org',
      help: 'Used only when no access token is given.',
    },
    {
      key: 'password',
      label: 'Password (only for password login)',
      secret: true,
      required: false,
      help: 'Exchanged once for an access token; the password itself is not stored.',
    },
    {
      key: 'hsToken',
      label: 'Homeserver token (appservice mode only)',
      secret: true,
      required: false,
      help: 'The hs_token of the appservice registration (npm run gateway -- matrix:registration prints one); with mode "appservice" the access token field takes its as_token.',
    },
  ],
  inbound: {
    attachments: ['image', 'audio', 'voice', 'video', 'file', 'location'],
    edits: true,
    replies: true,
  },
  outbound: {
    formatting: 'html',
    richText: ['HYPERLINK', 'BOLD', 'ITALIC', 'UNDERLINE', 'BLOCKQUOTE', 'LISTS'],
    attachments: ['image', 'audio', 'voice', 'video', 'file'],
    allowedMimeTypes: ['*/*'],
    maxAttachmentCount: 10,
    maxAttachmentSizeBytes: MATRIX_MAX_ATTACHMENT_BYTES,
    maxTextLength: MATRIX_MAX_TEXT_LENGTH,
    replies: true,
    readReceipts: true,
    asyncDeliveryStatus: false,
  },
};
