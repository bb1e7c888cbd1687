import { Readable } from 'node:stream';
import { PermanentError, type OutboundAttachment } from '../../../src/core/adapter';
import { manifestProblems } from '../../../test/conformance';
import { decimalSize, mmsMediaUrls } from '../mms-attachments';
import { mmsDestinationSupported } from '../mms-destination';
import { MMS_IMAGE_TYPES, MMS_MAX_MEDIA } from '../mms-limits';
import { smsManifest } from '../sms.manifest';

const file = (overrides: Partial<OutboundAttachment> = {}): OutboundAttachment => ({
  kind: 'image',
  fileName: 'pixel.png',
  mimeType: 'image/png',
  sizeBytes: 68,
  open: async () => Readable.from([Buffer.from('x')]),
  publicUrl: 'https://files.example/pixel.png?sig=1',
  ...overrides,
});

describe('MMS destinations', () => {
  it.each([
    ['+15558675310', true], // US
    ['+14165550123', true], // Canada (Toronto)
    ['+17875550123', true], // Puerto Rico, a US territory
    ['+18095550123', false], // Dominican Republic
    ['+18765550123', false], // Jamaica
    ['+447700900123', false],
    ['+4915112345678', false],
    ['+1555867531', false], // too short for NANP
  ])('%s -> %s', (number, supported) => {
    expect(mmsDestinationSupported(number)).toBe(supported);
  });
});

describe('mmsMediaUrls', () => {
  it('returns the public URLs in order; unknown sizes and type parameters pass', () => {
    const urls = mmsMediaUrls(
      [
        file(),
        file({
          fileName: 'a.pdf',
          mimeType: 'Application/PDF; name=a.pdf',
          sizeBytes: undefined,
          publicUrl: 'https://files.example/a.pdf',
        }),
      ],
      '+15558675310',
    );
    expect(urls).toEqual(['https://files.example/pixel.png?sig=1', 'https://files.example/a.pdf']);
  });

  it('accepts exactly the limits: 10 files, a 5 MB image, a 500 KB PDF', () => {
    expect(
      mmsMediaUrls(
        Array.from({ length: MMS_MAX_MEDIA }, () => file()),
        '+15558675310',
      ),
    ).toHaveLength(10);
    expect(
      mmsMediaUrls([file({ mimeType: 'image/jpeg', sizeBytes: 5_000_000 })], '+15558675310'),
    ).toHaveLength(1);
    expect(
      mmsMediaUrls([file({ mimeType: 'application/pdf', sizeBytes: 500_000 })], '+15558675310'),
    ).toHaveLength(1);
  });

  it('throws PermanentError (not retryable) for a file past a limit', () => {
    const attempt = () =>
      mmsMediaUrls([file({ mimeType: 'video/mp4', sizeBytes: 700_000 })], '+15558675310');
    expect(attempt).toThrow(PermanentError);
    expect(attempt).toThrow('"pixel.png" is too large for MMS (700 KB; files other than JPEG');
  });
});

describe('decimalSize', () => {
  it.each([
    [999, '999 bytes'],
    [1000, '1 KB'],
    [500_000, '500 KB'],
    [500_001, '500.1 KB'],
    [1_100_000, '1.1 MB'],
    [5_000_000, '5 MB'],
    [5_000_001, '5.1 MB'],
  ])('%i -> %s (rounded up)', (bytes, text) => {
    expect(decimalSize(bytes)).toBe(text);
  });
});

describe('the manifest declares what MMS takes', () => {
  it('is well-formed, with every MMS image type, 10 files of up to 5 MB', () => {
    expect(manifestProblems(smsManifest)).toEqual([]);
    const outbound = smsManifest.outbound;
    expect(outbound.attachments).toEqual(['image', 'audio', 'voice', 'video', 'file']);
    expect(outbound.allowedMimeTypes).toEqual(expect.arrayContaining([...MMS_IMAGE_TYPES]));
    expect(outbound.allowedMimeTypes.every((type) => type === type.toLowerCase())).toBe(true);
    expect(outbound.allowedMimeTypes).not.toContain('image/webp');
    expect(outbound.maxAttachmentCount).toBe(10);
    expect(outbound.maxAttachmentSizeBytes).toBe(5_000_000);
  });
});
