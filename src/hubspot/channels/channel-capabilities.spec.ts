import { channelCapabilitiesOf, MAX_CAPABILITY_INT, mimeTypesOf } from './channel-capabilities';
import { testManifest, withOutbound } from './test-manifest';

describe('channelCapabilitiesOf', () => {
  it('derives every capability of spec 3.3 from the manifest, as plain values', () => {
    expect(channelCapabilitiesOf(testManifest())).toEqual({
      deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
      threadingModel: 'INTEGRATION_THREAD_ID',
      richText: ['HYPERLINK', 'BOLD', 'ITALIC'],
      allowInlineImages: false,
      allowOutgoingMessages: true,
      allowConversationStart: false,
      allowMultipleRecipients: false,
      outgoingAttachmentTypes: ['FILE'],
      allowedFileAttachmentMimeTypes: ['image/png', 'application/pdf'],
      maxFileAttachmentCount: 2,
      maxFileAttachmentSizeBytes: 10_000_000,
      maxTotalFileAttachmentSizeBytes: 20_000_000,
    });
  });

  it('sends only strings, numbers, booleans and arrays of strings (objects are rejected)', () => {
    for (const value of Object.values(channelCapabilitiesOf(testManifest()))) {
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) expect(typeof item).toBe('string');
      } else {
        expect(['string', 'number', 'boolean']).toContain(typeof value);
      }
    }
  });

  it('takes the delivery identifier type of the manifest', () => {
    const caps = channelCapabilitiesOf(testManifest({ deliveryIdentifierType: 'HS_PHONE_NUMBER' }));
    expect(caps.deliveryIdentifierTypes).toEqual(['HS_PHONE_NUMBER']);
  });

  it('has no rich text for plain formatting, whatever richText says', () => {
    const caps = channelCapabilitiesOf(withOutbound({ formatting: 'plain', richText: ['BOLD'] }));
    expect(caps.richText).toEqual([]);
  });

  it('removes duplicate rich-text features', () => {
    const caps = channelCapabilitiesOf(withOutbound({ richText: ['BOLD', 'BOLD', 'LISTS'] }));
    expect(caps.richText).toEqual(['BOLD', 'LISTS']);
  });

  it('offers no attachments for a text-only adapter', () => {
    const caps = channelCapabilitiesOf(
      withOutbound({
        attachments: [],
        allowedMimeTypes: [],
        maxAttachmentCount: 0,
        maxAttachmentSizeBytes: 0,
      }),
    );
    expect(caps).toMatchObject({
      outgoingAttachmentTypes: [],
      allowedFileAttachmentMimeTypes: [],
      maxFileAttachmentCount: 0,
      maxFileAttachmentSizeBytes: 0,
      maxTotalFileAttachmentSizeBytes: 0,
    });
  });

  it('offers no attachments when the declared limits allow none', () => {
    expect(
      channelCapabilitiesOf(withOutbound({ maxAttachmentCount: 0 })).outgoingAttachmentTypes,
    ).toEqual([]);
    expect(
      channelCapabilitiesOf(withOutbound({ maxAttachmentSizeBytes: 0 })).outgoingAttachmentTypes,
    ).toEqual([]);
  });

  it('keeps byte limits whole and within a 32-bit integer', () => {
    const caps = channelCapabilitiesOf(
      withOutbound({ maxAttachmentCount: 10, maxAttachmentSizeBytes: 2_000_000_000.5 }),
    );
    expect(caps.maxFileAttachmentSizeBytes).toBe(2_000_000_000);
    expect(caps.maxTotalFileAttachmentSizeBytes).toBe(MAX_CAPABILITY_INT);
  });
});

describe('mimeTypesOf', () => {
  it('lower-cases and de-duplicates declared types, wildcards included', () => {
    expect(
      mimeTypesOf({
        attachments: ['image'],
        allowedMimeTypes: ['Image/PNG', 'image/png', 'video/*'],
      }),
    ).toEqual(['image/png', 'video/*']);
  });

  it('turns */* into the family wildcards of the attachment kinds', () => {
    expect(
      mimeTypesOf({ attachments: ['image', 'sticker', 'voice'], allowedMimeTypes: ['*/*'] }),
    ).toEqual(['audio/*', 'image/*']);
    expect(mimeTypesOf({ attachments: ['file'], allowedMimeTypes: ['*/*'] })).toEqual([
      'application/*',
      'audio/*',
      'image/*',
      'text/*',
      'video/*',
    ]);
  });

  it('treats no declared type as any type of the attachment kinds', () => {
    expect(mimeTypesOf({ attachments: ['video'], allowedMimeTypes: [] })).toEqual(['video/*']);
  });
});
