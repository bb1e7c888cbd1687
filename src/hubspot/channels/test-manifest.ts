import type { AdapterManifest } from '../../core/adapter/manifest';

/** A manifest for the channel tests (src/hubspot never imports a plugin). */
export function testManifest(overrides: Partial<AdapterManifest> = {}): AdapterManifest {
  return {
    id: 'acme',
    displayName: 'Acme Chat',
    description: 'Acme customer chat',
    version: '1.0.0',
    deliveryIdentifierType: 'CHANNEL_SPECIFIC_OPAQUE_ID',
    credentials: [],
    inbound: { attachments: ['image', 'file'], edits: false, replies: false },
    outbound: {
      formatting: 'html',
      richText: ['HYPERLINK', 'BOLD', 'ITALIC'],
      attachments: ['image', 'file'],
      allowedMimeTypes: ['image/png', 'application/pdf'],
      maxAttachmentCount: 2,
      maxAttachmentSizeBytes: 10_000_000,
      maxTextLength: 4096,
      replies: false,
      readReceipts: false,
      asyncDeliveryStatus: false,
    },
    ...overrides,
  };
}

export function withOutbound(
  outbound: Partial<AdapterManifest['outbound']>,
  manifest: AdapterManifest = testManifest(),
): AdapterManifest {
  return { ...manifest, outbound: { ...manifest.outbound, ...outbound } };
}
