import { type OutboundCapabilities, PermanentError } from '../../core/adapter';
import {
  attachmentKindOf,
  checkAttachmentCount,
  checkAttachments,
  formatBytes,
  mimeTypeAllowed,
  mimeTypeOf,
} from './attachment-policy';

const caps = (overrides: Partial<OutboundCapabilities> = {}): OutboundCapabilities => ({
  formatting: 'plain',
  richText: [],
  attachments: ['image', 'file'],
  allowedMimeTypes: ['image/*', 'application/pdf'],
  maxAttachmentCount: 2,
  maxAttachmentSizeBytes: 5 * 1024 * 1024,
  maxTextLength: 1000,
  replies: false,
  readReceipts: false,
  asyncDeliveryStatus: false,
  ...overrides,
});

const reasonOf = (run: () => void): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof PermanentError) return error.reason;
    throw error;
  }
  return 'no error';
};

describe('attachment policy', () => {
  it.each([
    ['IMAGE', 'image/png', 'image'],
    ['AUDIO', 'audio/mpeg', 'audio'],
    ['VOICE_RECORDING', 'audio/ogg', 'voice'],
    ['STICKER', 'image/webp', 'sticker'],
    ['OTHER', 'video/mp4', 'video'],
    ['OTHER', 'VIDEO/QuickTime', 'video'],
    ['OTHER', 'application/pdf', 'file'],
    ['OTHER', 'image/png', 'file'],
  ] as const)('%s with %s is sent as %s', (usage, mime, kind) => {
    expect(attachmentKindOf(usage, mime)).toBe(kind);
  });

  it('derives MIME types from file names', () => {
    expect(mimeTypeOf('photo.JPG')).toBe('image/jpeg');
    expect(mimeTypeOf('report.pdf')).toBe('application/pdf');
    expect(mimeTypeOf('clip.mp4')).toBe('video/mp4');
    expect(mimeTypeOf('no-extension')).toBe('application/octet-stream');
  });

  it('matches exact types and wildcards, case-insensitively', () => {
    expect(mimeTypeAllowed('image/png', ['image/*'])).toBe(true);
    expect(mimeTypeAllowed('IMAGE/PNG', ['image/png'])).toBe(true);
    expect(mimeTypeAllowed('video/mp4', ['image/*', 'application/pdf'])).toBe(false);
    expect(mimeTypeAllowed('anything/at-all', ['*/*'])).toBe(true);
    expect(mimeTypeAllowed('image/png', [])).toBe(false);
  });

  it('accepts what the adapter declared', () => {
    expect(() =>
      checkAttachments(
        [
          { kind: 'image', fileName: 'a.png', mimeType: 'image/png', sizeBytes: 1000 },
          { kind: 'file', fileName: 'b.pdf', mimeType: 'application/pdf' },
        ],
        caps(),
        'Echo',
      ),
    ).not.toThrow();
  });

  it('refuses, with readable reasons, what the adapter cannot send', () => {
    const png = { kind: 'image' as const, fileName: 'a.png', mimeType: 'image/png' };
    expect(reasonOf(() => checkAttachments([png], caps({ attachments: [] }), 'SMS'))).toBe(
      'SMS cannot send attachments, only text',
    );
    expect(reasonOf(() => checkAttachments([png, png, png], caps(), 'Echo'))).toBe(
      'Echo accepts at most 2 attachments per message (this one has 3)',
    );
    expect(
      reasonOf(() =>
        checkAttachments(
          [{ kind: 'voice', fileName: 'v.ogg', mimeType: 'audio/ogg' }],
          caps(),
          'Echo',
        ),
      ),
    ).toBe('Echo cannot send voice attachments (v.ogg)');
    expect(
      reasonOf(() =>
        checkAttachments(
          [{ kind: 'file', fileName: 'x.zip', mimeType: 'application/zip' }],
          caps(),
          'Echo',
        ),
      ),
    ).toBe('Echo does not accept files of type application/zip (x.zip)');
    expect(
      reasonOf(() => checkAttachments([{ ...png, sizeBytes: 6 * 1024 * 1024 }], caps(), 'Echo')),
    ).toBe('a.png is 6 MB; Echo accepts at most 5 MB per file');
  });

  it('checks the count before any metadata is known', () => {
    expect(() => checkAttachmentCount(0, caps({ attachments: [] }), 'SMS')).not.toThrow();
    expect(reasonOf(() => checkAttachmentCount(1, caps({ attachments: [] }), 'SMS'))).toBe(
      'SMS cannot send attachments, only text',
    );
  });

  it('formats sizes for people', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
  });
});
