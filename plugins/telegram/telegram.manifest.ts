import type { AdapterManifest } from '../../src/core/adapter';
import { TELEGRAM_LIMITS } from './telegram-limits';

export const telegramManifest: AdapterManifest = {
  id: 'telegram',
  displayName: 'Telegram',
  description: 'Customers write to a Telegram bot; agents answer from the HubSpot help desk.',
  version: '1.0.0',
  deliveryIdentifierType: 'CHANNEL_SPECIFIC_OPAQUE_ID',
  credentials: [
    {
      key: 'botToken',
      label: 'Bot token',
      secret: true,
      required: true,
      pattern: '^\\s*\\d+:[A-Za-z0-9_-]{20,}\\s*$',
      placeholder: '123456789:AAH...',
      help: 'In Telegram, open @BotFather, send /newbot (or /token for an existing bot) and paste the token it gives you, e.g. 123456789:AAH....',
    },
  ],
  inbound: {
    attachments: ['image', 'audio', 'voice', 'video', 'sticker', 'file', 'location', 'contact'],
    edits: true,
    replies: true,
  },
  outbound: {
    formatting: 'html',
    richText: ['HYPERLINK', 'BOLD', 'ITALIC', 'UNDERLINE', 'BLOCKQUOTE'],
    attachments: ['image', 'audio', 'voice', 'video', 'file'],
    allowedMimeTypes: ['*/*'],
    maxAttachmentCount: TELEGRAM_LIMITS.maxAlbumSize,
    maxAttachmentSizeBytes: TELEGRAM_LIMITS.maxUploadBytes,
    maxTextLength: TELEGRAM_LIMITS.maxTextLength,
    replies: true,
    readReceipts: false,
    asyncDeliveryStatus: false,
  },
};
